"""marshmallow 4 schemas: request loading (declared on the views with `mockhub.api.arguments`) and the response
shapes the contract tests check."""
