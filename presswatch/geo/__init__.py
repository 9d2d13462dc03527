"""Places on the map: GPE/LOC/FAC names resolved offline to GeoNames records (docs/places.md)."""
