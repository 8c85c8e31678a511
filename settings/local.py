"""Development: `make run`. DEBUG on unless the environment says otherwise."""

from settings.base import *  # noqa: F403
from settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
