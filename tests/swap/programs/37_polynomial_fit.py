import math
import torch

x = torch.linspace(-math.pi, math.pi, 200)
y = torch.sin(x)
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
print(xx.shape)
model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1)
)
torch.nn.init.zeros_(model[0].weight)
torch.nn.init.zeros_(model[0].bias)
loss_fn = torch.nn.MSELoss(reduction='sum')
learning_rate = 1e-6
for t in range(500):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, f"{loss.item():.3f}")
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad
linear_layer = model[0]
# the bias and x^2 coefficient end near 0 with a sign that depends on float32 summation order
b, c2 = round(linear_layer.bias.item(), 4) + 0.0, round(linear_layer.weight[:, 1].item(), 4) + 0.0
print(f'Result: y = {b:.4f} + {linear_layer.weight[:, 0].item():.4f} x + {c2:.4f} x^2 + {linear_layer.weight[:, 2].item():.4f} x^3')
