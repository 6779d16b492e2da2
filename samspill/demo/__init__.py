"""Demo data for `make run`: one organisation with its staff, participants, employers,
placements, a jobbLOOP, referrals and a year of ended follow-up, all made through the services.

It sits on top of every app (it imports the whole domain), so it is an app of its own and
nothing imports it."""
