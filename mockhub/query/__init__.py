"""Pure query helpers: pagination, sorting, and Mongo-style filters (TaskFilter, asset filters)."""
