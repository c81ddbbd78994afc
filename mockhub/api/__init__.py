"""HTTP views of the v2 API: thin functions that parse, call the store, and shape the envelope."""
