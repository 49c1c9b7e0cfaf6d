"""lecture_lib: the shared library of the course "CNN for Image Classification".

Plumbing only, one concern per module (docs/architecture.md): ``config`` (settings), ``session``
and ``results`` (a notebook's first and last cell), ``datasets`` and ``data`` (get datasets),
``prepare`` (check images, split directories), ``pipelines`` (tf.data), ``mnist``, ``weights`` and
``backbones`` (ImageNet weight files; the Keras call for the chosen backbone), ``features`` (the
feature cache), ``augment``, ``plots``. The Keras calls the lecture teaches stand in the notebooks.
Importing this package does not import TensorFlow.
"""

__version__ = "0.1.0"
