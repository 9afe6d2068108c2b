"""Reference timesteps and trajectories from diffusers' own schedulers (see README.md beside this).

usage: /usr/bin/python3 make_reference.py DIFFUSERS_CHECKOUT OUT.json [COMMIT]
(COMMIT names the diffusers revision when the checkout is not a git work tree, e.g. an archive.)
"""
import inspect
import json
import subprocess
import sys
import tempfile

import torch

import diffusers_stub

# The scheduler configs the published models ship (MODELS.md appendix §4). SD 1.5: runwayml's
# scheduler/scheduler_config.json (the onnx-community export carries the same PNDM config).
SD15 = {
    '_class_name': 'PNDMScheduler', 'beta_end': 0.012, 'beta_schedule': 'scaled_linear', 'beta_start': 0.00085,
    'num_train_timesteps': 1000, 'set_alpha_to_one': False, 'skip_prk_steps': True, 'steps_offset': 1,
    'trained_betas': None, 'clip_sample': False,
}
# SD-turbo (stabilityai/sd-turbo, schmuell/sd-turbo-ort-web): Euler, trailing, epsilon.
SD_TURBO = {
    '_class_name': 'EulerDiscreteScheduler', 'beta_end': 0.012, 'beta_schedule': 'scaled_linear', 'beta_start': 0.00085,
    'interpolation_type': 'linear', 'num_train_timesteps': 1000, 'prediction_type': 'epsilon', 'set_alpha_to_one': False,
    'skip_prk_steps': True, 'steps_offset': 1, 'timestep_spacing': 'trailing', 'timestep_type': 'discrete',
    'trained_betas': None, 'use_karras_sigmas': False,
}
# SimianLuo/LCM_Dreamshaper_v7 scheduler/scheduler_config.json.
LCM = {
    '_class_name': 'LCMScheduler', 'beta_end': 0.012, 'beta_schedule': 'scaled_linear', 'beta_start': 0.00085,
    'clip_sample': False, 'num_train_timesteps': 1000, 'original_inference_steps': 50, 'prediction_type': 'epsilon',
    'rescale_betas_zero_snr': False, 'set_alpha_to_one': True, 'steps_offset': 0, 'thresholding': False,
    'timestep_scaling': 10.0, 'timestep_spacing': 'leading', 'trained_betas': None,
}

# A fixed latent and a fixed "model" (also in reference.test.ts): every value moves differently.
BASE = [-1.5, -0.7, -0.2, 0.0, 0.3, 0.8, 1.1, 2.0]
TILT = [-1, 0, 1, -1, 0, 1, -1, 0]


def model_output(x, t):
    return 0.6 * x + 0.05 * torch.tensor(TILT, dtype=torch.float32) * (float(t) / 1000)


def classes():
    from diffusers.schedulers.scheduling_ddim import DDIMScheduler
    from diffusers.schedulers.scheduling_dpmsolver_multistep import DPMSolverMultistepScheduler
    from diffusers.schedulers.scheduling_euler_discrete import EulerDiscreteScheduler
    from diffusers.schedulers.scheduling_lcm import LCMScheduler
    from diffusers.schedulers.scheduling_pndm import PNDMScheduler
    return {'ddim': DDIMScheduler, 'pndm': PNDMScheduler, 'euler': EulerDiscreteScheduler, 'lcm': LCMScheduler, 'dpm-solver++': DPMSolverMultistepScheduler}


def from_config(cls, config):
    """diffusers' from_config: the file's keys the target's __init__ takes; its defaults for the rest."""
    accepted = inspect.signature(cls.__init__).parameters
    return cls(**{k: v for k, v in config.items() if not k.startswith('_') and k in accepted})


def case(kind, config, steps, trajectory=True):
    scheduler = from_config(classes()[kind], config)
    scheduler.set_timesteps(steps)
    out = {
        'kind': kind,
        'config': config,
        'steps': steps,
        'timesteps': [float(t) for t in scheduler.timesteps],
        'initNoiseSigma': float(scheduler.init_noise_sigma),
    }
    if hasattr(scheduler, 'sigmas') and kind in ('euler', 'dpm-solver++'):
        out['sigmas'] = [float(s) for s in scheduler.sigmas]
    if trajectory:
        x = torch.tensor([BASE], dtype=torch.float32) * scheduler.init_noise_sigma
        samples = []
        for t in scheduler.timesteps:
            eps = model_output(scheduler.scale_model_input(x, t), t)
            x = scheduler.step(eps, t, x).prev_sample
            samples.append([float(v) for v in x[0]])
        out['trajectory'] = samples
    return out


def main(checkout, target, commit=None):
    with tempfile.TemporaryDirectory() as tmp:
        diffusers_stub.build(checkout, tmp)
        sys.path.insert(0, tmp)
        commit = commit or subprocess.run(['git', '-C', checkout, 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout.strip() or 'unknown'
        cases = []
        for steps in [1, 2, 4, 50]:
            cases.append(case('pndm', SD15, steps))
        cases.append(case('pndm', {**SD15, 'prediction_type': 'v_prediction'}, 6))
        cases.append(case('pndm', {**SD15, 'timestep_spacing': 'linspace'}, 5))
        cases.append(case('pndm', {**SD15, 'timestep_spacing': 'trailing'}, 5))
        for steps in [1, 2, 5, 20]:
            cases.append(case('dpm-solver++', SD15, steps))
        cases.append(case('dpm-solver++', {**SD15, 'final_sigmas_type': 'sigma_min'}, 8))
        cases.append(case('dpm-solver++', {**SD15, 'final_sigmas_type': 'sigma_min'}, 20))
        cases.append(case('dpm-solver++', {**SD15, 'solver_type': 'heun'}, 10))
        cases.append(case('dpm-solver++', {**SD15, 'prediction_type': 'v_prediction'}, 10))
        cases.append(case('dpm-solver++', {**SD15, 'prediction_type': 'sample'}, 6))
        cases.append(case('dpm-solver++', {**SD15, 'solver_order': 1}, 6))
        cases.append(case('dpm-solver++', {**SD15, 'timestep_spacing': 'leading'}, 7))
        cases.append(case('dpm-solver++', {**SD15, 'lambda_min_clipped': -2.5}, 6))
        cases.append(case('dpm-solver++', SD_TURBO, 4))
        cases.append(case('euler', SD_TURBO, 1))
        cases.append(case('euler', SD_TURBO, 4))
        cases.append(case('ddim', SD15, 4))
        for steps in [1, 2, 4, 8]:
            cases.append(case('lcm', LCM, steps, trajectory=False))
        with open(target, 'w') as f:
            json.dump({'diffusers': commit, 'base': BASE, 'tilt': TILT, 'cases': cases}, f, indent=1)
            f.write('\n')
        print(f'{len(cases)} cases from diffusers {commit[:12]} -> {target}')


if __name__ == '__main__':
    main(*sys.argv[1:4])
