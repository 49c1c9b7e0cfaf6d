"""Graded exercises: build the student notebooks, and grade a class's submissions safely.

``build`` (otter assign, version stamps) · ``questions`` (the hidden tests, each an ``extract`` run
in the submission's kernel and a ``check`` run outside it) · ``grade`` (the class: rows, CSV,
summary) · ``confine`` (the sandbox a submission runs in) · ``worker`` (one submission's kernel,
inside it) · ``answers`` (answers as plain data, and reading them back without trusting them) ·
``checker`` (the process that decides, running no student code) · ``audit`` (the kernel's audit
hook). ``lecture_lib.checks`` stays outside: the public tests import it.
"""
