# torch.distributions in policy-gradient style loops: a Categorical policy (REINFORCE, as in
# PyTorch's examples/reinforcement_learning/reinforce.py) and a Gaussian policy with a learned
# log-std, plus the distributions' basic API (shapes, log_prob, entropy, KL, validation errors)
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical, Normal, Bernoulli, Independent, kl_divergence

torch.manual_seed(0)


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.affine1 = nn.Linear(4, 16)
        self.affine2 = nn.Linear(16, 3)

    def forward(self, x):
        x = F.relu(self.affine1(x))
        return F.softmax(self.affine2(x), dim=1)


policy = Policy()
optimizer = optim.Adam(policy.parameters(), lr=1e-2)
gamma = 0.9
for episode in range(4):
    state = torch.randn(1, 4)
    log_probs, rewards = [], []
    for t in range(5):
        probs = policy(state)
        m = Categorical(probs)
        action = m.sample()
        log_probs.append(m.log_prob(action))
        rewards.append(1.0 if action.item() == 1 else -0.5)
        state = state * 0.5 + torch.randn(1, 4) * 0.1
    R, returns = 0.0, []
    for r in rewards[::-1]:
        R = r + gamma * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + 1e-6)
    policy_loss = torch.cat([-lp * Rt for lp, Rt in zip(log_probs, returns)]).sum()
    optimizer.zero_grad()
    policy_loss.backward()
    optimizer.step()
    print(episode, [round(lp.item(), 5) for lp in log_probs], rewards, round(policy_loss.item(), 5))

# Gaussian policy: mean from a linear layer, learned log-std, batched actions
mu_net = nn.Linear(3, 2)
log_std = nn.Parameter(torch.zeros(2))
opt = optim.SGD(list(mu_net.parameters()) + [log_std], lr=0.05)
for step in range(5):
    obs = torch.randn(8, 3)
    dist = Normal(mu_net(obs), log_std.exp())
    actions = dist.sample()
    reward = -(actions - 0.5).pow(2).sum(-1)
    logp = dist.log_prob(actions).sum(-1)
    loss = -(logp * (reward - reward.mean())).mean() - 0.01 * dist.entropy().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.6f}", logp[:3], log_std.data)

# actor-critic style: Categorical(logits=...) with an entropy bonus and a value baseline
actor, critic = nn.Linear(4, 3), nn.Linear(4, 1)
ac_opt = optim.Adam(list(actor.parameters()) + list(critic.parameters()), lr=3e-3)
for it in range(4):
    states = torch.randn(6, 4)
    dist = Categorical(logits=actor(states))
    acts = dist.sample()
    rets = (acts == 2).float() - 0.1 * states[:, 0]
    values = critic(states).squeeze(-1)
    adv = rets - values.detach()
    loss = -(dist.log_prob(acts) * adv).mean() + F.mse_loss(values, rets) - 0.01 * dist.entropy().mean()
    ac_opt.zero_grad()
    loss.backward()
    ac_opt.step()
    print(it, acts.tolist(), f"{loss.item():.7f}", dist.log_prob(acts).detach(), actor.bias.grad)

# reparameterized samples and the distributions' API
d = Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
print(d, d.batch_shape, d.event_shape, d.mean, d.stddev, d.variance)
print(d.sample((2,)), d.rsample((3,)).shape)
print(d.log_prob(torch.tensor([0.5, -0.5])), d.entropy(), d.cdf(torch.tensor([0.0, 1.0])))
c = Categorical(logits=torch.tensor([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0]]))
print(c, c.probs, c.logits, c.entropy(), c.sample((4,)), c.enumerate_support())
b = Bernoulli(probs=torch.tensor([0.1, 0.5, 0.9]))
print(b, b.sample((2,)), b.log_prob(torch.tensor([1.0, 0.0, 1.0])), b.entropy())
ind = Independent(Normal(torch.zeros(2, 3), torch.ones(2, 3)), 1)
print(ind, ind.batch_shape, ind.event_shape, ind.log_prob(torch.ones(2, 3)))
print(kl_divergence(d, Normal(torch.zeros(2), torch.ones(2))))
print(kl_divergence(c, Categorical(probs=torch.tensor([0.2, 0.3, 0.5]))))
mu = torch.tensor([0.3], requires_grad=True)
x = Normal(mu, 1.0).rsample((4,))
x.pow(2).mean().backward()
print(x, mu.grad)
for bad in (lambda: Normal(torch.tensor([0.0]), torch.tensor([-1.0])),
            lambda: Categorical(probs=torch.tensor([0.5, 0.5]), logits=torch.tensor([0.0, 0.0])),
            lambda: Normal(0.0, 1.0).log_prob(1.0),
            lambda: Categorical(logits=torch.zeros(3)).log_prob(torch.tensor(5)),
            lambda: Bernoulli(probs=torch.tensor([1.5]))):
    try:
        bad()
    except ValueError as e:
        print("ValueError:", e)
