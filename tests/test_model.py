import pytest

from vrlcat.dates import LabelStyle, format_label, parse_date_label
from vrlcat.model import (
    arxiv_id_month,
    normalise_github_url,
    normalise_title,
    parse_arxiv_id,
)


@pytest.mark.parametrize("text, expected", [
    ("2505.01234", "2505.01234"),
    ("2505.01234v3", "2505.01234"),
    ("1501.0001", "1501.0001"),
    ("arXiv:2505.01234", "2505.01234"),
    ("hep-th/9901001", "hep-th/9901001"),
    ("math.GT/0309136v2", "math.GT/0309136"),
    ("https://arxiv.org/abs/2505.01234", "2505.01234"),
    ("http://arxiv.org/abs/2505.01234v2/", "2505.01234"),
    ("https://www.arxiv.org/pdf/2508.06571", "2508.06571"),
    ("https://arxiv.org/pdf/2504.11455?", "2504.11455"),
    ("https://arxiv.org/pdf/2504.11455v1.pdf", "2504.11455"),
    ("https://export.arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
    ("https://arxiv.org/html/2505.01234v1#S2", "2505.01234"),
    ("https://arxiv.org/abs/2505.01234?context=cs", "2505.01234"),
    ("https://huggingface.co/papers/2505.01234", "2505.01234"),
    ("https://www.alphaxiv.org/abs/2505.01234", "2505.01234"),
])
def test_every_arxiv_id_form_reads_as_the_bare_id(text, expected):
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize("text", [
    "hhttps://arxiv.org/abs/2502.02054", "https://openreview.net/pdf?id=kC5nZDU5zf", "abc",
    "25050.1234", "HEP-TH/9901001", "https://arxiv.org/list/cs.CV/recent", "",
])
def test_what_is_not_an_arxiv_id_is_refused(text):
    assert parse_arxiv_id(text) is None


def test_ids_encode_their_submission_month():
    assert arxiv_id_month("2505.21374") == "2025-05"
    assert arxiv_id_month("hep-th/9901001") == "1999-01"
    assert arxiv_id_month("math/0211159") == "2002-11"
    assert arxiv_id_month("0000.0000") is None


@pytest.mark.parametrize("label, date, venue", [
    ("Mar. 2025", "2025-03", None),
    ("May 2025", "2025-05", None),
    ("July. 2025", "2025-07", None),
    ("Jl. 2025, Blog", "2025-07", "Blog"),
    ("2024, ICML", "2024", "ICML"),
    ("ICRA 2025", "2025", "ICRA 2025"),
    ("2025, Nature", "2025", "Nature"),
    ("Jun. 2024, NeurIPS 2024", "2024-06", "NeurIPS 2024"),
    ("2024, ICLR Spotlight", "2024", "ICLR Spotlight"),
    ("Hugging Face", None, "Hugging Face"),
    ("ICML, 2024", "2024", "ICML"),
])
def test_date_labels_in_every_hand_written_form(label, date, venue):
    assert parse_date_label(label) == (date, venue)


@pytest.mark.parametrize("label", ["Mar. 2025", "2024, ICML", "ICRA 2025", "Jun. 2024, NeurIPS 2024",
                                   "Hugging Face", "2025, ICLR oral"])
def test_a_label_renders_back_to_what_it_parses_from(label):
    date, venue = parse_date_label(label)
    assert parse_date_label(format_label(date, venue)) == (date, venue)


def test_date_styles():
    assert format_label("2025-07", None) == "Jul. 2025"
    assert format_label("2025-07", "CVPR 2025", LabelStyle("Month YYYY")) == "July 2025, CVPR 2025"
    assert format_label("2025-07", None, LabelStyle("YYYY-MM")) == "2025-07"
    assert format_label(None, None) is None


def test_github_urls_normalise_to_the_repository():
    assert normalise_github_url("http://www.github.com/o/r.git") == "https://github.com/o/r"
    assert normalise_github_url("https://github.com/o/r/tree/main/x#readme") == "https://github.com/o/r"
    assert normalise_github_url("https://github.com/o") is None
    assert normalise_github_url("https://gitlab.com/o/r") is None


def test_titles_compare_without_case_punctuation_or_unicode_forms():
    assert normalise_title("Video-R1: Reinforcing  Video Reasoning") == normalise_title("video r1 reinforcing video reasoning")
    assert normalise_title("ｆｕｌｌ width") == normalise_title("full width")
