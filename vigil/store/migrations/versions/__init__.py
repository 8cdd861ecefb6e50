"""Migration scripts, applied in order by ``vigil.store.database.open_store``."""
