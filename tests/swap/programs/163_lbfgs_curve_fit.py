# Curve fitting with L-BFGS: the usual closure pattern (zero_grad, loss, backward, return loss)
import torch

torch.set_printoptions(precision=4)

# noisy-looking but deterministic samples of y = 1.5 x - 0.75
x = torch.linspace(-2, 2, 21)
noise = torch.tensor([0.05, -0.03, 0.02, 0.0, -0.04, 0.01, 0.03, -0.02, 0.0, 0.02, -0.01,
                      0.04, -0.03, 0.01, 0.0, -0.02, 0.03, -0.01, 0.02, -0.04, 0.01])
y = 1.5 * x - 0.75 + noise

slope = torch.tensor([0.0], requires_grad=True)
intercept = torch.tensor([0.0], requires_grad=True)
optimizer = torch.optim.LBFGS([slope, intercept], lr=1, max_iter=20, history_size=10,
                              line_search_fn="strong_wolfe")
print(optimizer)


def closure():
    optimizer.zero_grad()
    loss = ((slope * x + intercept - y) ** 2).mean()
    loss.backward()
    return loss


for step in range(4):
    loss = optimizer.step(closure)
    print(f"step {step}: loss before {loss.item():.6f}, slope {slope.item():.5f}, intercept {intercept.item():.5f}")
print("final", slope, intercept)

state = optimizer.state_dict()["state"][0]
print(sorted(state))
print("n_iter", state["n_iter"], "func_evals", state["func_evals"], "history", len(state["old_dirs"]))
print("t", state["t"], "H_diag", state["H_diag"])

# fixed-step L-BFGS (no line search) on a parabola through three points: y = a x^2 + c
a = torch.tensor([0.5], requires_grad=True)
c = torch.tensor([0.0], requires_grad=True)
px = torch.tensor([-1.0, 0.0, 1.0, 2.0])
py = torch.tensor([3.0, 1.0, 3.0, 9.0])
opt = torch.optim.LBFGS([a, c], lr=0.25, max_iter=5, history_size=3)


def parabola_closure():
    opt.zero_grad()
    loss = ((a * px ** 2 + c - py) ** 2).sum()
    loss.backward()
    return loss


for step in range(6):
    loss = opt.step(parabola_closure)
    print(step, round(loss.item(), 4), round(a.item(), 4), round(c.item(), 4))
print(opt.state[a]["n_iter"], opt.state[a]["func_evals"])
