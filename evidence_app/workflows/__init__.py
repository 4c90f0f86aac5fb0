"""The steps a person takes (add, import a chat, store a capture, seal, verify, change the
passphrase), written once for the window and the command line.

Each use case takes progress(done, total, message) and cancel() callbacks and returns an
Outcome: what was done, what was skipped or failed and why, how many timestamps were
obtained, and why it stopped early. Nothing here imports Qt or prints.
"""
