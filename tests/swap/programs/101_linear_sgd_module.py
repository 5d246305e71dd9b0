import torch
import torch.nn as nn
import torch.optim as optim


class LinearRegression(nn.Module):
    def __init__(self, in_features, out_features):
        super(LinearRegression, self).__init__()
        self.linear = nn.Linear(in_features, out_features)

    def forward(self, x):
        return self.linear(x)


x_train = torch.tensor([[3.3], [4.4], [5.5], [6.71], [6.93], [4.168], [9.779], [6.182], [7.59], [2.167]],
                       dtype=torch.float32)
y_train = torch.tensor([[1.7], [2.76], [2.09], [3.19], [1.694], [1.573], [3.366], [2.596], [2.53], [1.221]],
                       dtype=torch.float32)

model = LinearRegression(1, 1)
with torch.no_grad():
    model.linear.weight.copy_(torch.tensor([[0.2]]))
    model.linear.bias.zero_()
print(model)
for name, param in model.named_parameters():
    print(name, param.shape, param.requires_grad, param.data)
print(list(model.parameters()))
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)
print(optimizer)

num_epochs = 60
for epoch in range(num_epochs):
    outputs = model(x_train)
    loss = criterion(outputs, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if (epoch + 1) % 15 == 0:
        print('Epoch [{}/{}], Loss: {:.4f}'.format(epoch + 1, num_epochs, loss.item()))
        print(f"   grad w={model.linear.weight.grad.item():.5f} b={model.linear.bias.grad.item():.5f}")

model.eval()
with torch.no_grad():
    predicted = model(x_train)
print(predicted[:3])
print(predicted.requires_grad, outputs.requires_grad, outputs.grad_fn)
print(model.state_dict())
print(f"{model.linear.weight.item():.4f} {model.linear.bias.item():.4f}")
print(sum(p.numel() for p in model.parameters()), "parameters")
print(model.training, model.linear.training)
new_x = torch.tensor([[4.0], [8.0]])
print(model(new_x).detach())
print(model(new_x).squeeze().tolist())
print(loss, type(loss.item()), loss.dtype, loss.shape, loss.dim())
print(optimizer.param_groups[0]["lr"], len(optimizer.param_groups[0]["params"]))
print(optimizer.state_dict())
