import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 3 + 2 * x ** 2 - 5 * x + 1
y.backward()
print("y =", y)
print("dy/dx =", x.grad)
print(f"value {y.item():.4f}, grad {x.grad.item():.4f}")

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
Q = 3 * a ** 3 - b ** 2
external_grad = torch.tensor([1.0, 1.0, 1.0])
Q.backward(gradient=external_grad)
print(a.grad)
print(b.grad)
print(9 * a ** 2 == a.grad)
print(-2 * b == b.grad)
print(Q)
print(Q.grad_fn)
print(Q.grad_fn.next_functions)
