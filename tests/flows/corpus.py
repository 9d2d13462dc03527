"""Generated drop folders for the fault tests: short, distinct, realistic wire stories."""

from __future__ import annotations

import json
from pathlib import Path

_CITIES = ["Nairobi", "Lima", "Oslo", "Manila", "Accra", "Quito", "Hanoi", "Tunis", "Riga", "Dhaka"]
_PEOPLE = ["Amina Odhiambo", "Carlos Mendoza", "Ingrid Solberg", "Maria Santos", "Kwame Mensah",
           "Lucia Paredes", "Nguyen Van An", "Youssef Ben Ali", "Anna Berzina", "Rahim Chowdhury"]
_ORGS = ["World Bank", "Red Cross", "United Nations", "European Union", "African Union"]


def story(i: int) -> tuple[str, str]:
    """(title, body) of story i; every i gives a different article."""
    city, person, org = _CITIES[i % 10], _PEOPLE[(i * 3) % 10], _ORGS[i % 5]
    title = f"Floods force {100 + i} families from their homes near {city}"
    body = (
        f"Officials in {city} said on Tuesday that more than {100 + i} families had been evacuated "
        f"after heavy rain flooded low-lying districts overnight.\n\n"
        f'"We are doing everything we can to reach people who are still cut off," said {person}, '
        f"the regional governor, at a briefing in {city}.\n\n"
        f"The {org} pledged {i + 2} million dollars in emergency aid, according to a statement, "
        f"and rescue teams were expected to work through the weekend. Report number {i}."
    )
    return title, body


def write_corpus(drop: Path, n: int) -> int:
    """n stories: most as wire text, every 10th as a JSON article, and one JSON Lines file of
    5 stories. Returns the number of distinct articles written."""
    drop.mkdir(parents=True, exist_ok=True)
    articles = 0
    for i in range(n):
        title, body = story(i)
        if i % 10 == 9:
            obj = {"title": title, "body": body, "published_at": "2024-03-12", "source": "Reuters"}
            (drop / f"story_{i:04d}.json").write_text(json.dumps(obj))
        else:
            (drop / f"story_{i:04d}.txt").write_text(f"date 2024-03-12 {title} AFP\n\n{body}\n")
        articles += 1
    lines = []
    for i in range(n, n + 5):
        title, body = story(i)
        lines.append(json.dumps({"title": title, "body": body, "published_at": "2024-03-12"}))
    (drop / "feed.jsonl").write_text("\n".join(lines) + "\n")
    return articles + 5
