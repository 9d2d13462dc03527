"""`presswatch eval dedup`: near-duplicates and stories measured on real news text.

Three sets, all read from ../shared/eval by path, nothing copied:
- BBC News: 2,225 articles, 101 groups of byte-identical ones. Every group must be linked,
  and no two articles from different groups (or singletons) may be.
- Reuters-21578 re-issues: items the wire re-sent (title marked CORRECTED/REVISED/RPT/...,
  paired with the latest earlier item of the same title or ticker within 3 days; plus items
  re-sent within 3 days with the same 25 opening words). Gold from the data, not our method.
- Syndication: Reuters items as agency originals, each republished 1-4 times with outlets'
  edits (headline rewritten, last paragraphs cut, a local paragraph, boilerplate, a second
  agency's credit), plus hard negatives (two different items naming the same company ticker
  on the same day) and unrelated items of the same days. Seeded: the same seed, the same set.
Everything runs through the in-memory twins (NearDupIndex, StoryIndex) in batches, in date
order, as the warehouse does (tests/warehouse/test_dedup.py checks the twins agree).
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from presswatch.dedup.near import NearDupIndex, Pair, Thresholds, copy_of, doc, overlap
from presswatch.dedup.stories import StoryIndex, StoryThresholds, story_doc
from presswatch.dedup.wire import WireDetector, load_agencies
from presswatch.evaluation.metrics import prf

BATCH = 500
MARKER = re.compile(r"\(?\b(CORRECTED|CORRECTION|REVISED|RPT|REPEAT|REPEATED|REFILE|UPDATE\s*\d*)\b\)?\s*[-:]?\s*")
TICKER = re.compile(r"<([A-Z][A-Z0-9.]{0,9})>")
OUTLETS = ("The Daily Ledger", "Metro Business", "Valley Times", "Coast Herald", "Capital Wire Digest",
           "Northern Post", "Evening Courier", "Harbour Gazette")
BOILERPLATE = ("Advertisement", "Sign up for our morning newsletter and get the day's business news first.",
               "Read more: our coverage of the markets.", "Copyright 1987 {outlet}. All rights reserved.",
               "Follow {outlet} on social media for updates.")


@dataclass
class Item:
    doc_id: str
    title: str
    body: str
    day: date | None
    source: str
    family: str                     # gold: the story this text belongs to
    original: str | None = None     # gold: for a generated copy, the agency original's doc_id
    seq: int = 0                    # arrival order


@dataclass
class Run:
    pairs: list[Pair] = field(default_factory=list)
    copy_of: dict[str, str] = field(default_factory=dict)
    stories: dict[str, str] = field(default_factory=dict)


def run_items(items: list[Item], near_t: Thresholds | None = None, story_t: StoryThresholds | None = None,
              stories: bool = True) -> Run:
    """Items in arrival order, BATCH at a time, through both indexes."""
    near, story = NearDupIndex(near_t or Thresholds()), StoryIndex(story_t or StoryThresholds())
    order = {it.doc_id: (it.day or date.min, it.seq, it.doc_id) for it in items}
    links: dict[str, set[str]] = defaultdict(set)
    out = Run()
    for k in range(0, len(items), BATCH):
        batch = items[k:k + BATCH]
        pairs = near.add(doc(it.doc_id, it.day, it.body) for it in batch)
        out.pairs += pairs
        for p in pairs:
            links[p.a].add(p.b)
            links[p.b].add(p.a)
        if stories:
            story.add_batch([story_doc(it.doc_id, it.day, it.title, it.body) for it in batch], links, order)
    out.copy_of = copy_of(out.pairs, order)
    out.stories = story.clusters()
    return out


# --- the sets ------------------------------------------------------------------------------------

def bbc_text(path: Path) -> str:
    """One BBC News file's text: UTF-8, else latin-1 (sport/199.txt, as the set's README says)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def bbc_items(eval_dir: Path) -> tuple[list[Item], list[list[str]]]:
    root = eval_dir / "bbc_news"
    items = []
    for i, path in enumerate(sorted((root / "bbc").glob("*/*.txt"))):
        title, _, body = bbc_text(path).partition("\n")
        rel = path.relative_to(root).as_posix()
        items.append(Item(rel, title.strip(), body.strip(), None, path.parent.name, rel, seq=i))
    groups = []
    for line in (root / "exact_duplicate_groups.tsv").read_text().splitlines()[1:]:
        groups.append(line.split("\t")[1].split(","))
    return items, groups


def reuters_raw(eval_dir: Path) -> list[dict]:
    out = []
    with open(eval_dir / "reuters21578" / "reuters21578_docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            r["body"] = (r.get("body") or "").replace("&#3;", "").strip()
            r["day"] = datetime.strptime(r["date"].split()[0], "%d-%b-%Y").date() if r.get("date") else None
            out.append(r)
    return out


def _norm_title(t: str) -> str:
    return re.sub(r"[^A-Z0-9]+", " ", MARKER.sub(" ", (t or "").upper())).strip()


def reissue_gold(raw: list[dict]) -> set[tuple[str, str]]:
    """(earlier, re-issue) newid pairs, from the data alone (see the module's docstring)."""
    by_day: dict[date, list[dict]] = defaultdict(list)
    for r in raw:
        if r["day"] and r["body"]:
            by_day[r["day"]].append(r)
    gold: set[tuple[str, str]] = set()
    opening = {r["newid"]: _opening(r["body"]) for r in raw}
    for r in raw:
        if not r["day"] or not r["body"]:
            continue
        earlier = [o for d in range(0, 4) for o in by_day.get(r["day"] - timedelta(days=d), ())
                   if (o["day"], o["newid"]) < (r["day"], r["newid"])]
        if MARKER.search(r["title"] or ""):
            title, tickers = _norm_title(r["title"]), set(TICKER.findall(r["title"] or ""))
            words = set(title.split())
            match = [o for o in earlier if _norm_title(o["title"]) == title
                     or (tickers and tickers & set(TICKER.findall(o["title"] or ""))
                         and len(words & set(_norm_title(o["title"]).split())) >= 0.5 * len(words))]
            if match:
                gold.add((str(max(match, key=lambda o: (o["day"], o["newid"]))["newid"]), str(r["newid"])))
        for o in earlier:
            if opening[o["newid"]] == opening[r["newid"]]:  # re-sent: the same opening words
                gold.add((str(o["newid"]), str(r["newid"])))
    return gold


def _opening(body: str) -> str:
    """The first 25 words, case-folded: a wire item re-sent keeps its opening."""
    return " ".join(body.casefold().split()[:25])


def reuters_items(raw: list[dict]) -> list[Item]:
    return [Item(str(r["newid"]), r["title"] or "", _with_dateline(r), r["day"], "Reuters", str(r["newid"]),
                 seq=i) for i, r in enumerate(sorted((r for r in raw if r["body"]),
                                                     key=lambda r: (r["day"] or date.min, r["newid"])))]


def _with_dateline(r: dict) -> str:
    line = (r.get("dateline") or "").strip().rstrip("-").strip()
    return f"{line} (Reuters) - {r['body']}" if line else r["body"]


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s{3,}|\n\n+", body) if p.strip()]


def syndication_items(raw: list[dict], seed: int = 19, sources: int = 300, background: int = 1500) \
        -> tuple[list[Item], list[tuple[str, str]]]:
    """The generated set and its hard-negative pairs (doc ids). See the module's docstring."""
    rng = random.Random(seed)
    reissued = {i for pair in reissue_gold(raw) for i in pair}
    bodies = Counter(_opening(r["body"]) for r in raw)  # no re-sent item: it would copy another
    usable = [r for r in raw if r["day"] and len(r["body"].split()) >= 120 and len(_paragraphs(r["body"])) >= 4
              and str(r["newid"]) not in reissued and bodies[_opening(r["body"])] == 1
              and not MARKER.search(r["title"] or "")]
    # hard negatives: two different items naming the same ticker on the same day
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    for r in usable:
        for t in set(TICKER.findall(r["title"] + " " + r["body"][:300])):
            by_key[(r["day"], t)].append(r)
    neg_groups = [by_key[k] for k in sorted(by_key)  # sorted keys: the same set whatever the hash seed
                  if len(by_key[k]) >= 2 and len({_norm_title(x["title"]) for x in by_key[k]}) >= 2]
    rng.shuffle(neg_groups)
    chosen: dict[int, dict] = {}
    negatives: list[tuple[str, str]] = []
    for g in neg_groups[:60]:
        a, b = g[0], g[1]
        chosen[a["newid"]], chosen[b["newid"]] = a, b
        negatives.append((str(a["newid"]), str(b["newid"])))
    rest = [r for r in usable if r["newid"] not in chosen]
    rng.shuffle(rest)
    for r in rest[:max(0, sources - len(chosen))]:
        chosen[r["newid"]] = r
    days = {r["day"] for r in chosen.values()}
    pool = [r for r in raw if r["body"] and r["day"] in days and r["newid"] not in chosen
            and str(r["newid"]) not in reissued and bodies[_opening(r["body"])] == 1]
    rng.shuffle(pool)
    locals_ = [r for r in pool[background:]]  # local paragraphs come from items not in the set
    items: list[Item] = []
    for r in sorted(chosen.values(), key=lambda r: r["newid"]):
        orig = Item(str(r["newid"]), r["title"], _with_dateline(r), r["day"], "Reuters", str(r["newid"]))
        items.append(orig)
        for j in range(rng.randint(1, 4)):
            outlet = rng.choice(OUTLETS)
            items.append(_copy(rng, orig, r, j, outlet, locals_))
    for r in pool[:background]:
        items.append(Item(str(r["newid"]), r["title"] or "", _with_dateline(r), r["day"], "Reuters", str(r["newid"])))
    rng.shuffle(items)  # arrival order is not publication order
    items.sort(key=lambda it: it.day)
    for i, it in enumerate(items):
        it.seq = i
    return items, negatives


def _copy(rng: random.Random, orig: Item, r: dict, j: int, outlet: str, locals_: list[dict]) -> Item:
    paras = _paragraphs(r["body"])
    keep = paras[:max(2, round(len(paras) * rng.uniform(0.55, 1.0)))]  # the last paragraphs cut
    if rng.random() < 0.6:  # a local paragraph: one sentence from another item
        other = rng.choice(locals_)
        sentence = re.split(r"(?<=\.)\s", " ".join(other["body"].split()))[0]
        keep.insert(rng.randint(1, len(keep)), " ".join(sentence.split()[:40]))
    lead = (r.get("dateline") or "").strip().rstrip("-").strip()
    credit = rng.choice(["(Reuters)", "(Reuters/AFP)", "(AFP, Reuters)", ""])
    head = f"{lead} {credit} - " if lead and credit else (f"{lead} - " if lead else "")
    text = head + "\n\n".join(keep)
    if rng.random() < 0.5:
        text += "\n\nAdditional reporting by AFP."
    for b in rng.sample(BOILERPLATE, rng.randint(0, 2)):
        line = b.format(outlet=outlet)
        text = f"{line}\n\n{text}" if rng.random() < 0.5 else f"{text}\n\n{line}"
    title = _rewrite(rng, r["title"] or "")
    day = orig.day + timedelta(days=rng.choice([0, 0, 0, 1]))
    return Item(f"{orig.doc_id}-copy{j}", title, text, day, outlet, orig.family, original=orig.doc_id)


def _rewrite(rng: random.Random, title: str) -> str:
    words = TICKER.sub("", title).split()
    words = [w.capitalize() if len(w) > 3 else w.lower() for w in words]
    if len(words) > 4 and rng.random() < 0.5:
        words.pop(rng.randrange(1, len(words)))
    form = rng.choice(["{t}", "{t}, report says", "Update: {t}", "{t} - what it means", "Markets: {t}"])
    return form.format(t=" ".join(words))


# --- scores ----------------------------------------------------------------------------------------

def purity(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float]:
    """(purity, inverse purity) of the predicted clusters against the gold ones."""
    def best(a: dict[str, str], b: dict[str, str]) -> float:
        groups: dict[str, Counter] = defaultdict(Counter)
        for k, c in a.items():
            groups[c][b[k]] += 1
        return sum(max(cnt.values()) for cnt in groups.values()) / max(len(a), 1)
    return best(pred, gold), best(gold, pred)


def score_bbc(items: list[Item], groups: list[list[str]], run: Run) -> dict:
    group_of = {f: i for i, g in enumerate(groups) for f in g}
    linked: dict[str, set[str]] = defaultdict(set)
    for p in run.pairs:
        linked[p.a].add(p.b)
        linked[p.b].add(p.a)
    found = sum(1 for g in groups if all(set(g) - {f} <= linked[f] for f in g))
    outside = [(p.a, p.b) for p in run.pairs if group_of.get(p.a, p.a) != group_of.get(p.b, p.b)]
    across = [(a, b) for a, b in outside if a in group_of and b in group_of]
    return {"groups": len(groups), "groups_found": found, "cross_group_merges": len(across),
            "outside_links": len(outside), "outside_pairs": outside}


def score_syndication(items: list[Item], negatives: list[tuple[str, str]], run: Run) -> dict:
    fam = {it.doc_id: it.family for it in items}
    by_id = {it.doc_id: it for it in items}
    pred = {(p.a, p.b) for p in run.pairs}
    gold_pairs = {tuple(sorted((it.doc_id, it.original))) for it in items if it.original}
    contained = {g for g in gold_pairs if overlap(*(doc(i, None, by_id[i].body).shingles for i in g))[1] >= 0.8}
    correct = {p for p in pred if fam[p[0]] == fam[p[1]]}
    copies = [it for it in items if it.original]
    has = [a for a in run.copy_of]
    copy_ok = sum(1 for a in has if fam[a] == fam[run.copy_of[a]])
    # a copy dated after its original must point back into its family, never the other way
    later = [it for it in copies if it.day > by_id[it.original].day and it.doc_id in run.copy_of]
    direction = sum(1 for it in later if by_id[run.copy_of[it.doc_id]].day < it.day)
    neg_linked = sum(1 for a, b in negatives if tuple(sorted((a, b))) in pred)
    neg_grouped = sum(1 for a, b in negatives if a in run.stories and run.stories[a] == run.stories.get(b))
    gold_story = {it.doc_id: it.family for it in items}
    pur, inv = purity(run.stories, gold_story) if run.stories else (0.0, 0.0)
    return {"items": len(items), "copies": len(copies), "gold_pairs": len(gold_pairs),
            "gold_pairs_containment_0.8": len(contained),
            "pair_precision": len(correct) / max(len(pred), 1),
            "pair_recall": len(gold_pairs & pred) / max(len(gold_pairs), 1),
            "pair_recall_containment_0.8": len(contained & pred) / max(len(contained), 1),
            "copy_of_precision": copy_ok / max(len(has), 1), "copy_of_links": len(has),
            "later_copies": len(later), "later_copies_point_back": direction / max(len(later), 1),
            "hard_negative_pairs": len(negatives), "hard_negatives_linked": neg_linked,
            "hard_negatives_one_story": neg_grouped,
            "story_purity": pur, "story_inverse_purity": inv,
            "stories": len(set(run.stories.values())), "gold_stories": len(set(gold_story.values()))}


def score_reissues(gold: set[tuple[str, str]], run: Run) -> dict:
    pred = {(p.a, p.b) for p in run.pairs}
    gold_u = {tuple(sorted(g)) for g in gold}
    tp = len(pred & gold_u)
    p, r, _ = prf(tp, len(pred), len(gold_u))
    st = run.stories
    rewritten = [g for g in gold_u if g not in pred]  # re-issued with new words: only the story layer can join them
    return {"gold_pairs": len(gold_u), "predicted_pairs": len(pred), "found": tp,
            "precision_vs_gold": p, "recall": r,
            "in_one_story": sum(1 for a, b in gold_u if a in st and st[a] == st.get(b)) / max(len(gold_u), 1),
            "rewritten": len(rewritten),
            "rewritten_in_one_story": sum(1 for a, b in rewritten if a in st and st[a] == st.get(b))
            / max(len(rewritten), 1),
            "largest_story": max(Counter(st.values()).values(), default=0)}


def score_wire(reuters: list[Item], bbc: list[Item], detector: WireDetector) -> dict:
    """Credits found: on Reuters items (each is agency copy, most sign off "Reuter"), and on
    BBC News (a broadcaster's own reporting: any credit found there is counted)."""
    found = Counter(c.agency if (c := detector.credit(it.body)) else None for it in reuters)
    bbc_credits = [(it.doc_id, c) for it in bbc if (c := detector.credit(it.body))]
    return {"reuters": len(reuters), "reuters_credited_reuters": found["Reuters"],
            "reuters_other_agency": sum(n for a, n in found.items() if a not in (None, "Reuters")),
            "bbc": len(bbc), "bbc_credited": len(bbc_credits), "bbc_credits": bbc_credits}


def run_dedup_eval(eval_dir: Path, seed: int = 19, agencies_file: Path | None = None) -> list[dict]:
    """The rows `presswatch eval` prints (values in percent where a share)."""
    rows: list[dict] = []

    def add(task: str, metric: str, value: float, n: int, share: bool = True) -> None:
        rows.append({"task": task, "metric": metric, "value": round(100 * value, 1) if share else value, "n": n})

    items, groups = bbc_items(eval_dir)
    bbc = score_bbc(items, groups, run_items(items, stories=False))
    add("dedup bbc", "exact groups found", bbc["groups_found"] / bbc["groups"], bbc["groups"])
    add("dedup bbc", "merges across groups", bbc["cross_group_merges"], bbc["groups"], share=False)
    # the set's other re-versions (same body under a new title, updates): read by hand, docs/dedup.md
    add("dedup bbc", "links outside the groups", bbc["outside_links"], len(items), share=False)
    raw = reuters_raw(eval_dir)
    gold = reissue_gold(raw)
    re_run = run_items(reuters_items(raw))
    ri = score_reissues(gold, re_run)
    add("dedup reuters re-issues", "recall", ri["recall"], ri["gold_pairs"])
    add("dedup reuters re-issues", "precision vs gold", ri["precision_vs_gold"], ri["predicted_pairs"])
    add("dedup reuters stories", "re-issue pairs in one story", ri["in_one_story"], ri["gold_pairs"])
    add("dedup reuters stories", "re-issues not copies, in one story", ri["rewritten_in_one_story"],
        ri["rewritten"])
    add("dedup reuters stories", "largest story (articles)", ri["largest_story"], len(re_run.stories), share=False)
    wire = score_wire(reuters_items(raw), items, WireDetector(load_agencies(agencies_file)))
    add("dedup wire", "Reuters items credited Reuters", wire["reuters_credited_reuters"] / wire["reuters"],
        wire["reuters"])
    add("dedup wire", "Reuters items credited another", wire["reuters_other_agency"], wire["reuters"], share=False)
    add("dedup wire", "BBC articles credited an agency", wire["bbc_credited"], wire["bbc"], share=False)
    syn_items, negatives = syndication_items(raw, seed=seed)
    syn = score_syndication(syn_items, negatives, run_items(syn_items))
    n = syn["gold_pairs"]
    add("dedup syndication", "pair precision", syn["pair_precision"], n)
    add("dedup syndication", "pair recall", syn["pair_recall"], n)
    add("dedup syndication", "pair recall (containment>=0.8)", syn["pair_recall_containment_0.8"],
        syn["gold_pairs_containment_0.8"])
    add("dedup syndication", "copy_of precision", syn["copy_of_precision"], syn["copy_of_links"])
    add("dedup syndication", "next-day copies: copy_of dated before", syn["later_copies_point_back"],
        syn["later_copies"])
    add("dedup syndication", "hard negatives linked", syn["hard_negatives_linked"], syn["hard_negative_pairs"],
        share=False)
    add("dedup stories", "hard negatives in one story", syn["hard_negatives_one_story"], syn["hard_negative_pairs"],
        share=False)
    add("dedup stories", "purity", syn["story_purity"], syn["items"])
    add("dedup stories", "inverse purity", syn["story_inverse_purity"], syn["items"])
    return rows

