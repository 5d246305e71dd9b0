import torch

# 2.1 Data Manipulation (d2l.ai), deterministic version
x = torch.arange(12, dtype=torch.float32)
print(x)
print(x.numel(), x.shape, x.size(), x.dtype)
X = x.reshape(3, 4)
print(X)
print(x.reshape(-1, 4).shape, x.reshape(3, -1).shape)
print(torch.zeros((2, 3, 4)))
print(torch.ones((2, 3, 4)))
print(torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]]))

# indexing and slicing
print(X[-1], X[1:3])
X[1, 2] = 17
print(X)
X[:2, :] = 12
print(X)

# operations
print(torch.exp(x))
x = torch.tensor([1.0, 2, 4, 8])
y = torch.tensor([2, 2, 2, 2])
print(x + y, x - y, x * y, x / y, x ** y)
X = torch.arange(12, dtype=torch.float32).reshape((3, 4))
Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
print(torch.cat((X, Y), dim=0))
print(torch.cat((X, Y), dim=1))
print(X == Y)
print(X.sum(), X.sum().dtype)

# broadcasting
a = torch.arange(3).reshape((3, 1))
b = torch.arange(2).reshape((1, 2))
print(a, b)
print(a + b)
print(a * b - 1)

# saving memory
before = id(Y)
Y = Y + X
print(id(Y) == before)
Z = torch.zeros_like(Y)
print('id(Z):', id(Z) == id(Z))
zid = id(Z)
Z[:] = X + Y
print('id(Z) unchanged:', id(Z) == zid)
print(Z)
r = torch.mul(X, 2, out=Z)
print('out= writes in place:', id(Z) == zid, r is Z, Z[0])
before = id(X)
X += Y
print(id(X) == before)
print(X)

# conversion to other Python objects
A = X.numpy()
B = torch.from_numpy(A)
print(type(A), type(B))
print(A.dtype, B.dtype)
a = torch.tensor([3.5])
print(a, a.item(), float(a), int(a))
print(torch.tensor(2.5).item(), type(torch.tensor(7).item()))

# exercises: other comparisons, 3-D broadcasting
print(X < Y, X > Y)
c = torch.arange(6).reshape(1, 2, 3)
d = torch.arange(4).reshape(4, 1, 1)
print((c + d).shape)
print(c + d)
