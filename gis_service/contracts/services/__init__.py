"""Writes of the contract workflow, one module per step: offering, signup, decisions, lifecycle.

Services check who may act (PermissionDenied) and what is allowed (ValidationError with
the field it concerns); the database enforces the rules that must survive concurrency.
"""
