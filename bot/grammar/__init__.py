"""The words people type, read in one place: durations, amounts, outcomes, verbs, dates, quotes.

Each module reads one kind of word in French, English and German alike (the
aliases of every language are accepted whatever the reader's language), and
refuses what it cannot read with a `GrammarProblem` naming the text at fault.
"""
