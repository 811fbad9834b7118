"""Text handling shared by the text detectors: normalisation and phrase matching."""
