"""`vigil eval`: score the extractor on development data."""
