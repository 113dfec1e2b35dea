"""The templates qsrkit ships. Copy them with `qsrkit templates export DIR` to make them your own."""
