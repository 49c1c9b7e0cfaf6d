"""A real classroom on one Linux machine: JupyterHub, a server per student, the course by nbgitpuller.

``hub`` starts and stops it (JupyterHub with DummyAuthenticator and SimpleLocalProcessSpawner, the
PyPI ``configurable-http-proxy``) and speaks its REST API; ``server`` is each student's server's
entry point (its memory limit and a read-only mirror, enforced where this machine can);
``collect`` gathers one exercise from every student for ``exercises grade``.
docs/teaching-at-scale.md says which parts run here and which only on Kubernetes (z2jh).
"""
