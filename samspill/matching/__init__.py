"""Matching beyond loops: the right workplace for a person, the right person for a need.

Sits above participants, employers and placements: it reads what the viewer may see of them and
never writes to them (a placement draft from a suggestion goes through placements.services).
"""
