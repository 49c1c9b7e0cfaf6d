"""The course as a website: the lecture notebooks with their real outputs, readable uninstalled.

``execute`` runs the notebooks (full or smoke mode) into a cache keyed by each notebook's content
and the settings, stamping each with the settings and machine its outputs came from; ``build``
makes a Sphinx site of them (myst-nb, sphinx-book-theme: what Jupyter Book 1 is built on, without
Jupyter Book 1's Sphinx < 8 pin, which the lock's Sphinx 9 rules out), offline, MathJax included.
``python -m lecture_lib site build`` does both.
"""
