# PyTorch beginner tutorial "Save and Load the Model" with in-memory buffers
import io
import torch
from torch import nn

torch.manual_seed(4)


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(6 * 6, 16),
            nn.ReLU(),
            nn.Linear(16, 4),
        )

    def forward(self, x):
        return self.linear_relu_stack(self.flatten(x))


model = NeuralNetwork()
sd = model.state_dict()
print(list(sd.keys()))
for k, v in sd.items():
    print(k, v.shape, v.dtype)
buf = io.BytesIO()
torch.save(model.state_dict(), buf)
buf.seek(0)
model2 = NeuralNetwork()
x = torch.randn(2, 6, 6)
print(torch.equal(model(x), model2(x)))
print(model2.load_state_dict(torch.load(buf, weights_only=True)))
model2.eval()
print(model2.training, model.training)
print(torch.equal(model(x), model2(x)))
print(model2(x))
buf2 = io.BytesIO()
torch.save({"epoch": 5, "model_state_dict": model.state_dict(), "loss": 0.25}, buf2)
buf2.seek(0)
ckpt = torch.load(buf2, weights_only=True)
print(ckpt["epoch"], ckpt["loss"], sorted(ckpt["model_state_dict"].keys()))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss = model(x).pow(2).mean()
loss.backward()
optimizer.step()
buf3 = io.BytesIO()
torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, buf3)
buf3.seek(0)
ck = torch.load(buf3, weights_only=True)
opt2 = torch.optim.SGD(model2.parameters(), lr=0.5)
opt2.load_state_dict(ck["optimizer"])
print(opt2.state_dict()["param_groups"])
print(opt2.state_dict()["state"][0]["momentum_buffer"][:2])
model2.load_state_dict(ck["model"])
print(model2.linear_relu_stack[2].bias)
try:
    model2.load_state_dict({"linear_relu_stack.0.weight": torch.zeros(3, 3)})
except RuntimeError as e:
    print(e)
# printing the state dicts themselves, and saving the whole model
print(model.state_dict()["linear_relu_stack.2.bias"])
small = nn.Linear(2, 2)
print(small.state_dict())
opt_small = torch.optim.Adam(small.parameters(), lr=0.1)
small(torch.ones(1, 2)).sum().backward()
opt_small.step()
print(opt_small.state_dict())
buf4 = io.BytesIO()
try:
    # the program runs under exec, so its class cannot be found again as __main__.NeuralNetwork:
    # saving the whole model fails at save time
    torch.save(model, buf4)
except Exception as e:
    print(type(e).__name__, e)
buf4 = io.BytesIO()
torch.save(nn.Sequential(nn.Linear(3, 2), nn.ReLU()), buf4)
buf4.seek(0)
whole = torch.load(buf4, weights_only=False)
print(whole, whole[0].weight.shape)
t_buf = io.BytesIO()
torch.save([torch.arange(4), {"a": torch.ones(2, dtype=torch.float64)}], t_buf)
t_buf.seek(0)
print(torch.load(t_buf))
missing = model2.load_state_dict({k: v for k, v in model.state_dict().items() if "bias" not in k}, strict=False)
print(missing)
print(missing.missing_keys, missing.unexpected_keys)
