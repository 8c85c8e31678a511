"""Transfer statistics (SPEC section 8): filters, the percentile aggregate, the selectors and the exports."""
