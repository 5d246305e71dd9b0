import torch
from torch import nn

device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(4 * 4, 8),
            nn.ReLU(),
            nn.Linear(8, 8),
            nn.ReLU(),
            nn.Linear(8, 3),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


model = NeuralNetwork().to(device)
print(f"Model structure: {model}\n\n")

# deterministic weights instead of the random default initialization
with torch.no_grad():
    for i, (name, p) in enumerate(model.named_parameters()):
        n = p.numel()
        p.copy_((torch.arange(n, dtype=torch.float32).reshape(p.shape) % 7 - 3.0) * 0.05 + 0.01 * i)

X = torch.linspace(0.0, 1.0, 2 * 4 * 4, device=device).reshape(2, 4, 4)
logits = model(X)
print(logits)
pred_probab = nn.Softmax(dim=1)(logits)
y_pred = pred_probab.argmax(1)
print(f"Predicted class: {y_pred}")
print(pred_probab)

input_image = torch.arange(3 * 4 * 4, dtype=torch.float32).reshape(3, 4, 4) / 48
print(input_image.size())
flatten = nn.Flatten()
flat_image = flatten(input_image)
print(flat_image.size())
layer1 = nn.Linear(in_features=16, out_features=5)
with torch.no_grad():
    layer1.weight.fill_(0.1)
    layer1.bias.copy_(torch.tensor([-0.5, -0.2, 0.0, 0.2, 0.5]))
hidden1 = layer1(flat_image)
print(hidden1.size())
print(f"Before ReLU: {hidden1}\n\n")
hidden1 = nn.ReLU()(hidden1)
print(f"After ReLU: {hidden1}")

seq_modules = nn.Sequential(flatten, layer1, nn.ReLU(), nn.Linear(5, 2))
print(seq_modules)
softmax = nn.Softmax(dim=1)
print(softmax)

print(f"Model structure: {model}\n\n")
for name, param in model.named_parameters():
    print(f"Layer: {name} | Size: {param.size()} | Values : {param[:2]} \n")

total = sum(p.numel() for p in model.parameters())
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"total={total} trainable={trainable}")
print(nn.Flatten(0, 1), nn.Flatten(start_dim=2))
print(nn.Unflatten(1, (2, 8))(flat_image[:2, :16]).shape)
