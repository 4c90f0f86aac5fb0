"""Reading the words inside pictures (OCR) with Tesseract, Qt-free.

engine.py finds and runs the engine; picture.py turns a stored picture into the clean image
the engine reads; words.py reads the engine's word boxes back into lines and text; and
found.py finds indicators in that text with the box each was read from. The use case that
stores a reading as derived items is evidence_app.workflows.ocr.
"""
