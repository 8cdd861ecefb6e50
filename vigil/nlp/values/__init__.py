"""Pure normalisation of values found in text: numbers and quantities, dates.

No spaCy here: functions over strings and ``datetime.date`` that the components
call once they have found the words, each unit-tested on its own.
"""
