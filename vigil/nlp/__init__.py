"""Extraction: spaCy components that turn report text into sourced facts."""
