import numpy as np

from archday_nlp._features import FeatureSettings, analyze, normalize, tfidf
from conftest import run_python


def test_normalize_folds_width_case_and_numbers():
    assert normalize("\uff21\uff22\uff23发放\uff13\uff10\uff10余份,接待12.5万人次\uff01") == "abc发放0余份,接待0.0万人次!"


def test_analyze_gives_word_and_character_ngrams():
    tokens = analyze("发送短信 300条", FeatureSettings(word_ngrams=(1, 2), char_ngrams=(1, 2)))
    words = [t for t in tokens if t.startswith("w:")]
    chars = [t for t in tokens if t.startswith("c:")]
    assert words == ["w:发送", "w:短信", "w:0", "w:条", "w:发送 短信", "w:短信 0", "w:0 条"]
    assert chars == ["c:发", "c:送", "c:短", "c:信", "c:0", "c:条", "c:发送", "c:送短", "c:短信", "c:信0", "c:0条"]


def test_tfidf_rows_are_unit_length_and_skip_unknown_tokens():
    vocabulary = {"a": 0, "b": 1, "c": 2}
    idf = np.array([1.0, 2.0, 3.0])
    matrix = tfidf([["a", "a", "b", "zzz"], [], ["zzz"]], vocabulary, idf, sublinear_tf=True).toarray()
    expected = np.array([(1 + np.log(2)) * 1.0, 2.0, 0.0])
    assert np.allclose(matrix[0], expected / np.linalg.norm(expected))
    assert not matrix[1:].any()


def test_jieba_is_private_and_quiet():
    code = (
        "import jieba, archday_nlp\n"
        "archday_nlp.classify('举办图片展。')\n"
        "print(jieba.dt.initialized)"
    )
    assert run_python(code) == ("False\n", "")
