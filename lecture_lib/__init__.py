"""lecture_lib: the shared library of the course "CNN for Image Classification".

Small modules, one concern each: ``config`` (settings), ``data`` (get datasets), ``prepare``
(check images, split directories), ``pipelines`` (tf.data), ``mnist``, ``models``, ``plots``,
``results``. Importing this package does not import TensorFlow.
"""

__version__ = "0.1.0"
