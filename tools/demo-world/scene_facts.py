"""Which facts of its scene a caption states, and whether a generated image shows them: the
generator judge's background, position and count checks (electron/demo-world/quality/
caption-facts.ts is the TypeScript twin the app's measurement uses; keep the two in step).

A fact is judged only on captions that state it: "a red star" says nothing about the background,
so a generator that picks one is not wrong. Stated means:
- background: a specific word for it (black, grey/gray, beige, sandy, sand coloured, dark blue,
  navy); "dark", "light", "pale" name no single background;
- main object's position: a plain or precise phrase of its grid cell ("in the top left",
  "in the exact centre"); one-axis and vague phrases do not count;
- object count: a count word leading the caption ("three shapes: ...", "a single ...") or every
  object named by its colour (a count word before a colour multiplies it: "two red stars")."""
import re

BACKGROUND_RGB = {"black": (16, 16, 16), "grey": (120, 120, 120), "sand": (196, 172, 128), "navy": (20, 28, 88)}
BACKGROUND_WORDS = {"black": ["black"], "grey": ["grey", "gray"], "sand": ["beige", "sandy", "sand coloured"],
                    "navy": ["dark blue", "navy"]}
COLOURS = ["red", "green", "blue", "yellow", "purple", "orange", "white"]
PLAIN_POSITIONS = [
    [["at the top left", "in the top left", "in the upper left"], ["at the top", "near the top"], ["at the top right", "in the top right", "in the upper right"]],
    [["on the left", "on the left side"], ["in the middle", "in the centre", "in the center"], ["on the right", "on the right side"]],
    [["at the bottom left", "in the bottom left", "in the lower left"], ["at the bottom", "near the bottom"], ["at the bottom right", "in the bottom right", "in the lower right"]],
]
PRECISE_POSITIONS = [
    [["in the top left corner", "in the upper left corner"], ["at the top centre", "in the middle of the top edge"], ["in the top right corner", "in the upper right corner"]],
    [["in the middle of the left side", "on the left edge"], ["in the exact centre", "right in the centre"], ["in the middle of the right side", "on the right edge"]],
    [["in the bottom left corner", "in the lower left corner"], ["at the bottom centre", "in the middle of the bottom edge"], ["in the bottom right corner", "in the lower right corner"]],
]
COUNT_WORDS = {"two": 2, "three": 3, "pair": 2, "couple": 2}
LEADS = {"a single": 1, "just one": 1, "only one": 1}


def _words(text):
    return re.findall(r"[a-z]+", text.lower())


def _has_phrase(text, phrase):
    return re.search(r"(?<![a-z])" + re.escape(phrase) + r"(?![a-z])", " ".join(_words(text))) is not None


def stated_background(caption, background):
    """True when the caption names this background with a specific word."""
    # "dark blue" names the navy background only; plain "blue" is an object colour
    return any(_has_phrase(caption, w) for w in BACKGROUND_WORDS[background])


_CELL_PHRASES = sorted(((p, (x, y)) for table in (PLAIN_POSITIONS, PRECISE_POSITIONS) for y, row in enumerate(table)
                        for x, cell in enumerate(row) for p in cell), key=lambda pc: -len(pc[0]))


def stated_cells(caption):
    """Grid cells named by full cell phrases, longest phrase first ("at the top left" is not also
    "at the top")."""
    text, cells = " " + " ".join(_words(caption)) + " ", set()
    for phrase, cell in _CELL_PHRASES:
        while f" {phrase} " in text:
            text = text.replace(f" {phrase} ", " | ", 1)
            cells.add(cell)
    return cells


def stated_position(caption, main):
    return (main["x"], main["y"]) in stated_cells(caption)


def stated_count(caption, objects):
    ws = _words(caption)
    head = " ".join(ws[:2])
    if head in LEADS:
        return LEADS[head] == len(objects)
    lead = re.match(r"(two|three|a pair of|a couple of) (shapes|things|objects)\b", " ".join(ws))
    if lead:  # the counting annotator: "three shapes: ..."
        return COUNT_WORDS[lead.group(1).split()[-2 if lead.group(1).startswith("a ") else 0]] == len(objects)
    n, named = 0, set()
    for i, w in enumerate(ws):
        colour = "purple" if w == "violet" else w
        if colour in COLOURS and not (w == "blue" and i > 0 and ws[i - 1] == "dark"):
            mult = next((COUNT_WORDS[p] for p in ws[max(0, i - 3):i] if p in COUNT_WORDS), 1)
            n += mult
            named.add(colour)
    return n == len(objects) and named == {o["colour"] for o in objects}


def cell_of(cx, cy, size=64):
    return min(2, int(cx * 3 // size)), min(2, int(cy * 3 // size))
