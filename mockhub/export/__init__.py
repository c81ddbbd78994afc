"""Export in one package: `views` (the HTTP endpoints), `query` (their query schema), `snapshot` (the store's
consistent copy under the lock) and `records` (pure: the record shapes, rendering and the zip). Importing the
package loads none of them."""
