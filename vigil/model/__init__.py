"""Domain records and taxonomies shared by every stage."""
