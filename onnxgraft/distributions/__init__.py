"""torch.distributions for onnxgraft: parameterizable probability distributions and sampling.

The classes follow PyTorch 2.13's torch.distributions (formulas, argument validation, error texts,
repr); samples use PyTorch's recipes on onnxgraft's generator, which is PyTorch's, so seeded
samples equal PyTorch's bit for bit. log_prob / rsample / entropy are composed of onnxgraft ops,
so they are differentiable (score-function / REINFORCE and reparameterized estimators):

    from torch.distributions import Categorical
    dist = Categorical(logits=policy(state))
    action = dist.sample()
    loss = -(dist.log_prob(action) * reward).sum()
    loss.backward()
"""
from . import constraints
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .exponential import Exponential
from .independent import Independent
from .kl import kl_divergence, register_kl
from .normal import Normal
from .one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from .poisson import Poisson
from .uniform import Uniform

__all__ = ["Bernoulli", "Categorical", "Distribution", "Exponential", "ExponentialFamily", "Independent",
           "Normal", "OneHotCategorical", "OneHotCategoricalStraightThrough", "Poisson", "Uniform", "kl_divergence",
           "register_kl", "constraints"]
