"""zhcorpus language layer: reading, cleaning, structure, segmentation, extraction, themes, topics."""
