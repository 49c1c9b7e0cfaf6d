"""lecture_lib: the shared library of the course "CNN for Image Classification".

Plumbing only, one concern per module (docs/architecture.md); the Keras calls the lecture teaches
stand in the notebooks. The public API, by concern:

* a notebook's run: ``config`` (settings), ``session`` (first and last cell), ``results``;
* data: ``data.get`` (a dataset from the first source that has it), ``datasets`` (one spec per
  dataset; ``datasets.mnist.load``), ``images`` (one image: check, standardize, load),
  ``prepare`` (split directories; ``course_split``), ``pipelines`` (tf.data);
* models: ``backbone_specs`` (one spec per backbone), ``weights`` (which file), ``backbones``
  (the Keras call), ``features`` (the feature cache), ``augment``, ``devices`` (precision);
* output: ``plots``; exercises: ``exercise_data``, ``checks``, ``feedback``, ``grading``;
  a class on one machine: ``classroom`` (JupyterHub, nbgitpuller, collecting an exercise);
* setup: ``quiet``, ``colab``, ``cli`` (``python -m lecture_lib``); the website: ``site``.

Importing this package does not import TensorFlow.
"""

__version__ = "0.1.0"

__all__ = [
    "augment",
    "backbone_specs",
    "backbones",
    "checks",
    "classroom",
    "cli",
    "colab",
    "config",
    "data",
    "datasets",
    "devices",
    "exercise_data",
    "features",
    "feedback",
    "grading",
    "images",
    "imagenet_table",
    "pipelines",
    "plots",
    "prepare",
    "quiet",
    "results",
    "session",
    "site",
    "weights",
]
