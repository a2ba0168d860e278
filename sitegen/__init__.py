"""A static analytical site generator: annotated sources in, a cross-linked site out.

The pipeline runs one way: load -> parse -> resolve -> derive -> plan -> render -> write.
"""
