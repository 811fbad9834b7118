"""The learned account model: platform-neutral metadata features, trained on real labelled data."""
