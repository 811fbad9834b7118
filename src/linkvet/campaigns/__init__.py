"""Cross-profile evidence: texts and photos seen before, and the campaigns they reveal."""
