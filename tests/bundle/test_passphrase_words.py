"""The words a bundle passphrase can contain: read aloud to the police by the person who was
targeted, so none may be about children, sex, violence, death, drugs, crime, prison or the
police (issue 16 found "child", "female", "abuse", "kiss", "gun" and "blood" in the old
list), and the passphrase must stay as strong as it was (77 bits).

The words are taken from the generator itself (every sequence it hands to secrets.choice),
not from a file name the test assumes: whatever the code draws from is what is checked.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from evidence_app.bundle import passwords
from evidence_app.paths import resources_dir

DENYLIST = Path(__file__).with_name("passphrase_denylist.txt")
MIN_BITS = 77  # 7 words of BIP-39's 2,048, what the passphrase had before issue 16
ISSUE_WORDS = ("child", "female", "abuse", "kiss", "gun", "blood")

# Words that sound like another common word: an officer who hears one may type the other.
HOMOPHONES = """
air heir aisle isle ale ail allowed aloud altar alter ant aunt ate eight bail bale bald
bawled ball bawl band banned bare bear baron barren base bass be bee beach beech bean been
beat beet bell belle berry bury berth birth blew blue board bored boar bore bold bowled
bolder boulder born borne bough bow brake break bread bred bridal bridle brows browse buy
by bye cache cash caret carat carrot karat cell sell cent scent sent cereal serial cheap
cheep chews choose chili chilly choral coral chord cord cite sight site coarse course
colonel kernel core corps council counsel creak creek crews cruise cue queue currant
current cymbal symbol dear deer dew due die dye doe dough dual duel earn urn ewe you yew
eye faint feint fair fare fairy ferry feat feet find fined fir fur flair flare flea flee
flew flu flue flour flower for four fore foul fowl frees freeze frieze gait gate genes
jeans gnu knew new gofer gopher gorilla guerrilla grate great groan grown guessed guest
hail hale hair hare hall haul hangar hanger hay hey heal heel hear here heard herd him
hymn hoarse horse hole whole holy wholly hour our idle idol in inn jam jamb knead need
knight night knit nit knot not know no knows nose lead led leak leek lessen lesson links
lynx loan lone loot lute made maid mail male main mane maize maze mall maul manner manor
mantel mantle marshal martial meat meet medal metal meddle might mite mind mined mince
mints missed mist moose mousse morning mourning muscle mussel naval navel none nun oar
ore or owe oh pail pale pain pane pair pear pare palate palette pallet passed past pause
paws pea pee peace piece peak peek peal peel pedal peddle peer pier plain plane plum plumb
pole poll pore pour poor pray prey principal principle profit prophet quarts quartz rain
reign rein raise rays raze rap wrap read reed real reel red right write rite ring wring
road rode rowed roe row role roll root route rose rows rye wry sail sale scene seen sea see
seam seem sew so sow serf surf shoe shoo sole soul some sum son sun stair stare stake
steak stalk stork stationary stationery steal steel suite sweet tail tale taught taut
tea tee team teem tear tier tern turn their there threw through throne thrown thyme time
tide tied toad towed toe tow vain vane vein vial vile wade weighed wail whale waist waste
wait weight war wore ware wear where wax whacks way weigh weak week weather whether which
witch whine wine wood would yoke yolk
""".split()


def _inflections(word: str) -> set[str]:
    """A deny-list word as it may appear: plural, -ed, -er, -ing, -y..."""
    forms = {word + end for end in ("", "s", "es", "ly", "ish", "y", "ie", "ies", "ed", "er",
                                    "ers", "ing")}
    if word.endswith("e"):
        forms |= {word + "d", word + "r", word + "rs", word[:-1] + "ing"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word[:-1] + "ier"}
    if len(word) >= 2 and word[-1] not in "aeiouwxy":
        doubled = word + word[-1]
        forms |= {doubled + end for end in ("ed", "er", "ers", "ing", "y", "ie", "ies")}
    return forms


@dataclass(frozen=True)
class DenyList:
    exact: frozenset[str]  # the words and their inflections
    starts: tuple[str, ...]
    ends: tuple[str, ...]
    contains: tuple[str, ...]

    def rule_for(self, word: str) -> str | None:
        """Why `word` is refused, or None."""
        if word in self.exact:
            return "word"
        if word.startswith(self.starts):
            return "starts with " + next(s for s in self.starts if word.startswith(s))
        if word.endswith(self.ends):
            return "ends with " + next(s for s in self.ends if word.endswith(s))
        return next(("contains " + s for s in self.contains if s in word), None)


def load_denylist(path: Path = DENYLIST) -> DenyList:
    """word: it and its inflections; stem*: starts with; *end: ends with; *part*: contains."""
    exact: set[str] = set()
    starts, ends, contains = [], [], []
    for line in path.read_text("utf-8").splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if entry.startswith("*") and entry.endswith("*"):
            contains.append(entry[1:-1])
        elif entry.endswith("*"):
            starts.append(entry[:-1])
        elif entry.startswith("*"):
            ends.append(entry[1:])
        else:
            exact |= _inflections(entry)
    return DenyList(frozenset(exact), tuple(starts), tuple(ends), tuple(contains))


def offered_words(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every word new_passphrase() can put in a passphrase: the sequences it draws from."""
    pools: list[list[str]] = []

    def choice(seq):
        pools.append(list(seq))
        return seq[0]

    monkeypatch.setattr(passwords.secrets, "choice", choice)
    passwords.new_passphrase()
    monkeypatch.undo()
    assert pools, "new_passphrase no longer draws its words with secrets.choice"
    words = sorted({word for pool in pools for word in pool})
    return words


@pytest.fixture
def words(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return offered_words(monkeypatch)


def test_the_deny_list_catches_the_words_of_the_issue_and_their_forms() -> None:
    deny = load_denylist()
    assert len([line for line in DENYLIST.read_text("utf-8").splitlines()
                if line.strip() and not line.startswith("#")]) >= 500
    for word in (*ISSUE_WORDS, "children", "kisses", "guns", "shotgun", "bloody", "killer",
                 "murdered", "prisoner", "policeman", "cocaine", "naked", "raped", "knives"):
        assert deny.rule_for(word), word
    for word in ("apple", "river", "violin", "teapot", "grape", "canal"):  # no false alarm
        assert deny.rule_for(word) is None, word


def test_no_word_a_passphrase_can_contain_is_on_the_deny_list(words: list[str]) -> None:
    deny = load_denylist()
    found = {word: rule for word in words if (rule := deny.rule_for(word))}
    assert found == {}, f"{len(found)} words on the deny-list: {sorted(found)[:60]}"


def test_no_word_sounds_like_another(words: list[str]) -> None:
    assert sorted(set(words) & set(HOMOPHONES)) == []


def test_the_words_are_short_plain_lowercase_and_unique(words: list[str]) -> None:
    shipped = [line.strip() for line in
               (resources_dir() / passwords.WORDLIST_FILE).read_text("utf-8").splitlines()
               if line.strip() and not line.startswith("#")]
    assert shipped == sorted(set(shipped)), "the shipped list is sorted, each word once"
    assert words == shipped, "new_passphrase draws from exactly the shipped list"
    bad = [w for w in words if not re.fullmatch(r"[a-z]{3,8}", w)]
    assert bad == []


def test_each_word_is_known_by_its_first_four_letters(words: list[str]) -> None:
    """A word misheard after its fourth letter, or misspelt there, is still recognised."""
    keys = [w[:4] for w in words]
    clashes = sorted({k for k in keys if keys.count(k) > 1})
    assert clashes == []
    short_prefixes = [(w, o) for w in words if len(w) < 4 for o in words
                      if o != w and o.startswith(w)]
    assert short_prefixes == []


def test_the_passphrase_is_at_least_as_strong_as_before(words: list[str]) -> None:
    bits = passwords.WORDS * math.log2(len(words))
    assert bits >= MIN_BITS
    assert passwords.bits() == pytest.approx(bits)
    # 1,024 words or more keep 8 words at 80 bits or more, as the docs say
    assert len(words) >= 1024
    assert passwords.WORDS == 8


def test_a_new_passphrase_is_made_only_of_list_words(words: list[str]) -> None:
    allowed = set(words)
    seen = set()
    for _ in range(200):
        phrase = passwords.new_passphrase()
        parts = phrase.split(" ")
        assert len(parts) == passwords.WORDS
        assert set(parts) <= allowed
        seen.update(parts)
    assert len(seen) > 600  # drawn from the whole list, not a corner of it
