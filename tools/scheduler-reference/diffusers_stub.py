"""A stand-in for the parts of the diffusers package its scheduler modules import.

The scheduler files (schedulers/scheduling_*.py) are used unchanged from a diffusers checkout;
they need `ConfigMixin`/`register_to_config` (here: keep the constructor's arguments as
`self.config`), a few utils and `SchedulerOutput`. Building the package in a temporary folder
keeps the real diffusers (and its dependencies: huggingface_hub, safetensors, ...) out of it.
"""
import os
import shutil

CONFIGURATION_UTILS = '''
import functools, inspect
from types import SimpleNamespace

class ConfigMixin:
    def register_to_config(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self.config, k, v)

def register_to_config(init):
    signature = inspect.signature(init)
    @functools.wraps(init)
    def wrapper(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        self.config = SimpleNamespace(**{k: v for k, v in bound.arguments.items() if k != "self"})
        init(self, *args, **kwargs)
    return wrapper
'''

UTILS = '''
import logging as _logging
class BaseOutput:
    pass
def deprecate(*args, **kwargs):
    pass
def is_scipy_available():
    return False
class logging:
    @staticmethod
    def get_logger(name):
        return _logging.getLogger(name)
'''

TORCH_UTILS = '''
import torch
def randn_tensor(shape, generator=None, device=None, dtype=None, **kwargs):
    return torch.randn(shape, generator=generator, dtype=dtype)
'''

SCHEDULING_UTILS = '''
from dataclasses import dataclass
from enum import Enum
import torch
class KarrasDiffusionSchedulers(Enum):
    UNUSED = 1
class SchedulerMixin:
    pass
@dataclass
class SchedulerOutput:
    prev_sample: torch.Tensor
'''

SCHEDULER_FILES = ['scheduling_ddim', 'scheduling_pndm', 'scheduling_euler_discrete', 'scheduling_lcm', 'scheduling_dpmsolver_multistep']


def build(diffusers_checkout, into):
    """Lays out a `diffusers` package under `into` with the checkout's scheduler files."""
    package = os.path.join(into, 'diffusers')
    for sub in ['', 'utils', 'schedulers']:
        os.makedirs(os.path.join(package, sub), exist_ok=True)
        open(os.path.join(package, sub, '__init__.py'), 'w').close()
    files = {
        'configuration_utils.py': CONFIGURATION_UTILS,
        'utils/__init__.py': UTILS,
        'utils/torch_utils.py': TORCH_UTILS,
        'schedulers/scheduling_utils.py': SCHEDULING_UTILS,
    }
    for rel, text in files.items():
        with open(os.path.join(package, rel), 'w') as f:
            f.write(text)
    for name in SCHEDULER_FILES:
        shutil.copy(os.path.join(diffusers_checkout, 'src', 'diffusers', 'schedulers', name + '.py'), os.path.join(package, 'schedulers'))
