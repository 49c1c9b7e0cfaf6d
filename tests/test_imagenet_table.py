"""The package's ImageNet table is the lecture's: 29 rows, its numbers as printed, blanks as blanks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lecture_lib import imagenet_table as t

LECTURE_MD = Path(__file__).resolve().parents[2] / "shared" / "lecture" / "lecture.md"


def _cell(text: str) -> float | str | None:
    text = text.strip()
    if text in ("", "_", "=", "·-", "-"):
        return None  # the slide's scanning debris in empty cells
    try:
        return float(text.removesuffix("M"))
    except ValueError:
        return text


def test_table_has_the_lectures_29_rows_with_extra_data_and_blanks():
    rows = t.LECTURE
    assert len(rows) == 29
    assert rows[0] == t.lookup(rows, "ResNet-50") and rows[0][1:6] == (26, None, 76.0, 93.0, 82.94)
    assert [r.method for r in rows if r.extra_data] == [
        "ResNet-50 Billion-scale SSL",
        "ResNeXt-101 Billion-scale SSL",
        "ResNeXt-101 WSL",
        "FixRes ResNeXt-101 WSL",
        "Big Transfer (BiT-L)",
        "Noisy Student (EfficientNet-L2)",
        "Noisy Student + FixRes",
        "Vision Transformer (ViT-H)",
        "EfficientNet-L2-NoisyStudent + SAM",
        "Meta Pseudo Labels (EfficientNet-B6-Wide)",
        "Meta Pseudo Labels (EfficientNet-L2)",
    ]
    assert t.lookup(rows, "Inception-v3").extra_data is None  # printed "="
    assert t.lookup(rows, "SENet").real is None  # printed empty
    assert t.lookup(rows, "ResNet-50 Billion-scale SSL").real is None  # printed "·-"
    vit = t.lookup(rows, "Vision Transformer (ViT-H)")
    assert (vit.params_m, vit.extra_data, vit.top1, vit.top5, vit.real) == (
        632,
        "300M labeled JFT",
        88.55,
        None,
        90.72,
    )
    assert rows[-1].method == "Meta Pseudo Labels (EfficientNet-L2)" and rows[-1].top1 == 90.2
    with pytest.raises(KeyError, match="known"):
        t.lookup(rows, "AlexNet")


def test_table_equals_the_lecture_text_row_by_row():
    if not LECTURE_MD.is_file():
        pytest.skip(f"the lecture's text is not at {LECTURE_MD}")
    lines = [ln for ln in LECTURE_MD.read_text().splitlines() if re.search(r"\t\d+M\t", ln)]
    assert len(lines) == 29
    for line, row in zip(lines, t.LECTURE, strict=True):
        cells = line.split("\t") + [""] * 6
        method = re.sub(r"\s*\[\d+\]$", "", cells[0]).strip()
        expected = (
            method,
            _cell(cells[1]),
            _cell(cells[2]),
            _cell(cells[3]),
            _cell(cells[4]),
            _cell(cells[5]),
        )
        assert (
            row.method,
            row.params_m,
            row.extra_data,
            row.top1,
            row.top5,
            row.real,
        ) == expected, line


def test_printed_table_shows_blanks_and_the_lectures_precision():
    text = t.as_text(t.LECTURE, source=False)
    assert "88.55" in text and "82.94" in text and "76.0" in text
    senet = next(ln for ln in text.splitlines() if ln.startswith("SENet"))
    assert senet.split()[-1] == "–"
    keras_resnet = t.lookup(t.KERAS_APPLICATIONS, "ResNet50")
    assert keras_resnet.top1 == 74.9 and ("ResNet-50", "ResNet50") in t.SAME_NETWORK


def test_keras_input_sizes_name_networks_of_the_keras_table():
    names = {row.method for row in t.KERAS_APPLICATIONS}
    assert set(t.KERAS_INPUT_PX) <= names
    assert t.KERAS_INPUT_PX["EfficientNetB7"] == 600 and "VGG16" not in t.KERAS_INPUT_PX
