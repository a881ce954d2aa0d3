import io
import sys

import pytest

from archday_nlp._files import ReportFileError, decode, find_files, read_document, read_reports
from samples import COLLECTION, TITLES

TEXT = "国际档案日活动总结\r\n6月9日,我馆在广场发放宣传折页400余份。\r\n举办“百年变迁”老照片展。\r\n"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-be", "utf-16-le", "utf-32"],
)
def test_decode_detects_the_encodings_reports_arrive_in_and_keeps_crlf(encoding):
    data = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # with a byte order mark; utf-16-le below has none
    assert decode(data) == TEXT


@pytest.mark.parametrize("line", ["举办展览。", "（一）加强组织领导。", "（3）短信群发、广播宣传。"])
def test_decode_reads_short_gbk(line):
    assert decode(line.encode("gbk")) == line


def test_decode_reads_big5():
    assert decode("（一）加強組織領導。".encode("big5")) == "（一）加強組織領導。"
    traditional = "國際檔案日活動總結\n縣檔案館在廣場設立諮詢台,向過往市民發放宣傳資料四百餘份,接待查檔群眾六十五人次。\n"
    assert decode(traditional.encode("big5")) == traditional


def test_a_named_encoding_is_used_as_is():
    assert decode(TEXT.encode("gbk"), encoding="gbk") == TEXT
    assert decode(TEXT.encode("utf-8-sig"), encoding="utf-8") == TEXT  # the mark is not text
    with pytest.raises(ReportFileError, match=r"^r\.txt: not utf-8 text \(invalid start byte at byte 0\)$"):
        decode("档案".encode("gbk"), encoding="utf-8", path="r.txt")


def test_binary_and_undecodable_bytes_are_named_with_the_reason():
    with pytest.raises(ReportFileError, match="^scan.txt: a binary file, not text"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", path="scan.txt")
    with pytest.raises(ReportFileError, match="cannot tell its encoding: it is not UTF-8, UTF-16, GB18030 \\(GBK\\) or Big5 text"):
        decode(b"\xff" * 99)


def test_read_document_names_missing_files_folders_and_old_word_files(tmp_path):
    with pytest.raises(ReportFileError, match="none.txt: no such file$") as caught:
        read_document(tmp_path / "none.txt")
    assert isinstance(caught.value, OSError) and caught.value.path == str(tmp_path / "none.txt")
    with pytest.raises(ReportFileError, match="is a folder, not a file"):
        read_document(tmp_path)
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ReportFileError, match="a .doc file cannot be read: save it as .docx or .txt"):
        read_document(tmp_path / "old.doc")


def test_read_document_reads_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("gbk"))))
    assert read_document("-") == TEXT


def test_docx_paragraphs_and_table_cells_come_in_document_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("国际档案日活动总结")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "活动"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "数量"  # a merged cell is read once
    table.cell(1, 0).text = "发放资料"
    table.cell(1, 1).text = "400余份"
    table.cell(1, 2).text = "广场"
    document.add_paragraph("举办老照片展。")
    path = tmp_path / "report.docx"
    document.save(path)
    assert read_document(path) == "国际档案日活动总结\n活动\n数量\n发放资料\n400余份\n广场\n举办老照片展。"


def test_a_broken_docx_is_named(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(ReportFileError, match=r"broken.docx: not a readable .docx file \(.+\)$"):
        read_document(path)


def test_find_files_searches_folders_and_reports_what_it_cannot_use(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "b/1.md", "a.docx", "~$a.docx", ".hidden.txt", ".git/x.txt", "photo.jpg"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    errors, skipped = [], []
    found = find_files([tmp_path, tmp_path / "none.txt", tmp_path / "empty", "-"], on_error=errors.append, on_skip=skipped.append)
    assert found == [str(tmp_path / "a.docx"), str(tmp_path / "b" / "1.md"), str(tmp_path / "b" / "2.txt"), "-"]
    assert [e.reason for e in errors] == ["no such file or folder", "no .txt, .md or .docx file in this folder"]
    assert [p.name for p in skipped] == ["photo.jpg"]
    with pytest.raises(ReportFileError, match="no such file or folder"):
        find_files([tmp_path / "none.txt"])


def test_read_reports_gives_each_report_of_each_file_and_goes_on_after_a_bad_one(tmp_path):
    (tmp_path / "collection.txt").write_bytes(COLLECTION.replace("\n", "\r\n").encode("utf-16"))
    (tmp_path / "blank.txt").write_text(" \n", encoding="utf-8")
    (tmp_path / "single.txt").write_text("县电视台播出档案日专题节目。", encoding="utf-8")
    errors = []
    paths = [tmp_path / "collection.txt", tmp_path / "blank.txt", tmp_path / "none.txt", tmp_path / "single.txt"]
    reports = list(read_reports(paths, on_error=errors.append))
    assert [(r.source, r.index, r.title) for r in reports] == [
        *((str(tmp_path / "collection.txt"), i, title) for i, title in enumerate(TITLES)),
        (str(tmp_path / "single.txt"), 0, ""),
    ]
    for r in reports:
        assert r.document[r.start : r.end] == r.text
    assert "\r\n" in reports[0].text
    assert [str(e) for e in errors] == [f"{tmp_path / 'blank.txt'}: holds no text", f"{tmp_path / 'none.txt'}: no such file"]
