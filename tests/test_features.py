import numpy as np
import pytest

from archday_nlp._features import FeatureSettings, Vectorizer, analyze, documents, normalize, pieces, tokens, words
from conftest import run_python


def test_normalize_folds_width_case_and_numbers():
    assert normalize("\uff21\uff22\uff23发放\uff13\uff10\uff10余份,接待12.5万人次\uff01") == "abc发放0余份,接待0.0万人次!"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("檔案館舉辦圖片展覽，發放宣傳資料", "档案馆举办图片展览,发放宣传资料"),
        ("組織學(xué)習(xí)《檔(dàng)案(àn)法》", "组织学习《档案法》"),
        ("學（xué）習（xí）", "学习"),
        ("播放宣传片(LED)和(app)", "播放宣传片(led)和(app)"),  # no tone mark: not a gloss
    ],
)
def test_normalize_converts_traditional_script_and_drops_pinyin_glosses(written, expected):
    assert normalize(written) == expected


def test_analyze_gives_word_and_character_ngrams():
    found = analyze("发送短信 300条", FeatureSettings(word_ngrams=(1, 2), char_ngrams=(1, 2)))
    words = [t for t in found if t.startswith("w:")]
    chars = [t for t in found if t.startswith("c:")]
    assert words == ["w:发送", "w:短信", "w:0", "w:条", "w:发送 短信", "w:短信 0", "w:0 条"]
    assert chars == ["c:发", "c:送", "c:短", "c:信", "c:0", "c:条", "c:发送", "c:送短", "c:短信", "c:信0", "c:0条"]


def test_long_sentences_are_also_scored_in_packed_clauses():
    sentence = "活动期间,我馆在广场设立咨询台,发放宣传折页0余份;同时在大厅举办老照片展,展出照片0幅。"
    assert pieces(sentence, 30) == ["活动期间,我馆在广场设立咨询台,发放宣传折页0余份;", "同时在大厅举办老照片展,展出照片0幅。"]
    assert pieces(sentence, None) == [] and pieces(sentence, len(sentence)) == []
    assert pieces("一二三四五六七八九十,一二三四五六七八九十", 5) == ["一二三四五六七八九十,", "一二三四五六七八九十"]
    docs, owner = documents(["举办展览。", sentence], FeatureSettings(piece_size=30))
    assert docs[0] == "举办展览。" and docs[1] == sentence and len(docs) == 4
    assert owner.tolist() == [0, 1, 1, 1]


def test_vectorizer_matches_token_counting():
    settings = FeatureSettings(word_ngrams=(1, 2), char_ngrams=(1, 3))
    docs = ["发放宣传资料0份", "", "群发短信 短信", "𠀋字外"]
    vocabulary = sorted({t for d in docs for t in tokens(d, settings)} - {"c:资"})
    idf = np.linspace(1.0, 2.0, len(vocabulary))
    rows, columns, values = Vectorizer(vocabulary, idf, settings).transform(docs)
    dense = np.zeros((len(docs), len(vocabulary)))
    dense[rows, columns] = values
    index = {t: i for i, t in enumerate(vocabulary)}
    for row, doc in enumerate(docs):
        expected = np.zeros(len(vocabulary))
        for token in tokens(doc, settings):
            if token in index:
                expected[index[token]] += 1
        expected[expected > 0] = (1 + np.log(expected[expected > 0])) * idf[expected > 0]
        norm = np.linalg.norm(expected)
        assert np.allclose(dense[row], expected / norm if norm else expected)
    assert not dense[1].any()
    assert np.isclose(np.linalg.norm(dense[0]), 1.0)


def test_segmenter_is_private():
    code = (
        "import rjieba\n"
        "from archday_nlp._features import words\n"
        "rjieba.add_word('档案日宣传活动', 99999, None)\n"
        "print(rjieba.cut('档案日宣传活动', False), words('档案日宣传活动'))"
    )
    assert run_python(code) == ("['档案日宣传活动'] ['档案', '日', '宣传', '活动']\n", "")


def test_jieba_rs_cuts_every_corpus_sentence_as_jieba_does(corpus_sentences):
    """The segmenter was swapped for speed: the words must be jieba's, or the model would need retraining."""
    jieba = pytest.importorskip("jieba")
    reference = jieba.Tokenizer()
    reference.initialize()
    texts = [normalize(s["text"]) for s in corpus_sentences]
    differ = [t for t in texts if [w for w in reference.lcut(t, HMM=False) if not w.isspace()] != words(t)]
    assert differ == []
