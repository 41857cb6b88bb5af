#!/usr/bin/python3
# gst-stt — what the punct model's capitalization would need: bounds from punct-bench dumps.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Capitalization F1 (issue #7, docs/benchmarks.md "Punctuation and capitalization") depends on
# two things: where the model ends sentences (the word after an end is capitalized) and how it
# cases words inside sentences (tables learnt from the training text). This script reads the
# dumps of `punct-bench --dump FILE` (one word a line: the text's form, the text's mark, the
# model's form, the model's mark; "#<TAB>path" before each address) and prints
#   1. capitalization F1 if a share of the wrong sentence ends were right: each changed end
#      recases the word after it (a capital when it now starts a sentence, else the training
#      text's commonest form of the word);
#   2. the misses of the commonest-form table on the evaluated text's words inside its own
#      sentences, by kind, and with tables from only the training addresses within W years
#      of each address (an upper bound for casing by era: the year is known here);
#   3. how many words inside sentences are unseen in training, capitalized or not.
#
# Usage: tests/bench/punct-bounds.py TRAIN_DUMP EVAL_DUMP
#   TRAIN_DUMP: punct-bench --model DIR --split fit --dump TRAIN_DUMP SOTU_DIR
#   EVAL_DUMP:  punct-bench --model DIR --split dev --dump EVAL_DUMP SOTU_DIR
# (the dump's model columns of TRAIN_DUMP are not used; any model will do for it).
import collections
import random
import re
import sys

ENDS = ".?"
SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
ERA_YEARS = (10, 20, 30, 50)


def load(path):
    """[(year, [(text form, text mark, model form, model mark), ...]), ...]"""
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "#":
                m = re.search(r"(\d{4})_[^/]*$", cols[1])
                docs.append((int(m.group(1)) if m else 0, []))
            elif len(cols) == 4 and docs:
                docs[-1][1].append(cols)
    return docs


def inside(rows):
    """The rows that do not start one of the text's sentences."""
    for i, row in enumerate(rows):
        if i > 0 and rows[i - 1][1] not in ENDS:
            yield row


def casing_table(docs):
    table = collections.defaultdict(collections.Counter)
    for _, rows in docs:
        for row in inside(rows):
            table[row[0].lower()][row[0]] += 1
    return table


def commonest(table, word):
    forms = table.get(word.lower())
    return forms.most_common(1)[0][0] if forms else word.lower()


def capitalized(word):
    return any(ch.isupper() for ch in word)


def f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def with_ends_fixed(docs, table, share, seed=1):
    """(sentence-end F1, capitalization F1) when @share of the wrong ends are the text's."""
    rnd = random.Random(seed)
    end = collections.Counter()
    case = collections.Counter()
    for _, rows in docs:
        starts, model_starts = True, True
        for text, text_mark, form, mark in rows:
            if starts != model_starts:
                form = form[:1].upper() + form[1:] if starts else commonest(table, text)
            if capitalized(text) and form == text:
                case["tp"] += 1
            else:
                case["fn"] += capitalized(text)
                case["fp"] += capitalized(form)
            text_end, model_end = text_mark in ENDS, mark in ENDS
            fixed_end = text_end if text_end != model_end and rnd.random() < share else model_end
            end["tp"] += text_end and fixed_end
            end["fn"] += text_end and not fixed_end
            end["fp"] += fixed_end and not text_end
            starts, model_starts = fixed_end, model_end
    return f1(end["tp"], end["fp"], end["fn"]), f1(case["tp"], case["fp"], case["fn"])


def table_misses(docs, table_of):
    misses = collections.Counter()
    for year, rows in docs:
        table = table_of(year)
        for row in inside(rows):
            text = row[0]
            guess = commonest(table, text)
            if text == guess or not (capitalized(text) or capitalized(guess)):
                continue
            forms = table.get(text.lower())
            if not forms:
                kind = "capitalized, unseen in training"
            else:
                share = forms[text] / sum(forms.values())
                kind = ("this form unseen in training" if share == 0
                        else "this form in < 1/5 of training's" if share < 0.2
                        else "this form in 1/5..1/2 of training's" if share < 0.5
                        else "tied or other")
            misses[kind] += 1
    return misses


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: punct-bounds.py TRAIN_DUMP EVAL_DUMP (dumps of punct-bench --dump)")
    train, evaluated = load(sys.argv[1]), load(sys.argv[2])
    if not train or not evaluated:
        sys.exit("punct-bounds.py: a dump holds no address; write them with punct-bench --dump")
    table = casing_table(train)

    print("1. wrong sentence ends set right | sentence-end F1 | capitalization F1")
    for share in SHARES:
        end_f1, case_f1 = with_ends_fixed(evaluated, table, share)
        print(f"   {share:4.0%} | {end_f1:.3f} | {case_f1:.3f}")

    misses = table_misses(evaluated, lambda year: table)
    print(f"2. the commonest-form table misses {sum(misses.values())} words inside sentences:")
    for kind, n in misses.most_common():
        print(f"   {n:6d}  {kind}")
    by_year = [(year, casing_table([(year, rows)])) for year, rows in train]
    for span in ERA_YEARS:
        def era_table(year, span=span):
            near = collections.defaultdict(collections.Counter)
            for y, t in by_year:
                if abs(y - year) <= span:
                    for word, forms in t.items():
                        near[word].update(forms)
            # words the era's addresses never used fall back to the whole training text
            return collections.ChainMap(dict(near), table)
        n = sum(table_misses(evaluated, era_table).values())
        print(f"   tables of the training addresses within {span} years: {n} misses")

    unseen = collections.Counter()
    for _, rows in evaluated:
        for row in inside(rows):
            if row[0].lower() not in table and re.match(r"[^\W\d_]", row[0]):
                unseen["capitalized" if capitalized(row[0]) else "lower case"] += 1
    print("3. unseen words inside sentences: " +
          ", ".join(f"{n} {k}" for k, n in sorted(unseen.items())))


if __name__ == "__main__":
    main()
