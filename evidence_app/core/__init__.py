"""Qt-free core: keys, vault, object store, custody journal, ingest, case state."""
