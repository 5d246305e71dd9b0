import torch
A = torch.tensor([[2., 1.], [1., 3.]], requires_grad=True)
for f in (torch.linalg.inv, torch.det, torch.linalg.det, lambda a: a.inverse(), lambda a: torch.linalg.solve(a, torch.ones(2)),
          lambda a: torch.linalg.norm(a), lambda a: torch.linalg.norm(a, 1), lambda a: torch.linalg.matrix_norm(a, float('inf'), keepdim=True),
          lambda a: torch.linalg.vector_norm(a, 3), lambda a: torch.linalg.norm(a, dim=1), lambda a: torch.linalg.vector_norm(a, float('-inf')),
          lambda a: torch.linalg.solve(a, torch.ones(2, 3)), lambda a: a.det(), lambda a: torch.linalg.matrix_norm(a, -1)):
    A.grad = None
    y = f(A)
    y.sum().backward()
    print(y, A.grad)
B = torch.tensor([[[1., 2.], [3., 4.]], [[2., 0.], [0., 2.]]], dtype=torch.float64, requires_grad=True)
print(torch.linalg.inv(B), torch.det(B))
for bad in (lambda: torch.linalg.inv(torch.zeros(2, 2)), lambda: torch.linalg.inv(torch.tensor([[1., 2.], [2., 4.]])),
            lambda: torch.linalg.inv(torch.zeros(2, 3)), lambda: torch.det(torch.zeros(2, 3)), lambda: torch.linalg.inv(torch.zeros(2, 2, dtype=torch.int64)),
            lambda: torch.linalg.solve(torch.zeros(2, 2), torch.ones(2)), lambda: torch.linalg.norm(torch.ones(2, 3, 4), 1),
            lambda: torch.linalg.vector_norm(torch.ones(2, dtype=torch.int64)), lambda: torch.linalg.matrix_norm(torch.ones(2)),
            lambda: torch.linalg.multi_dot([torch.ones(2, 2)]), lambda: torch.linalg.inv(torch.zeros(2, 2, 2))):
    try:
        bad()
    except RuntimeError as e:
        print(type(e).__name__, isinstance(e, torch.linalg.LinAlgError), e)
