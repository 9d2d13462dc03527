"""Case restoration for ALL-CAPS stretches (headlines), keeping every character offset."""

from __future__ import annotations


def restore_case(text: str) -> str:
    return text
