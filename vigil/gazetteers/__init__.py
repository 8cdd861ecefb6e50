"""gazetteers stage."""
