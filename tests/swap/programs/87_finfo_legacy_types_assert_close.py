import torch
print(torch.finfo(torch.float32)); print(torch.iinfo(torch.int64)); print(torch.finfo(torch.float64)); print(torch.finfo())
print(repr(torch.finfo(torch.float16)), repr(torch.iinfo(torch.uint8)), repr(torch.iinfo(torch.int32)))
print(torch.finfo(torch.float32).eps, torch.finfo(torch.float16).max, torch.iinfo(torch.int32).max, torch.finfo(torch.float32).bits, torch.finfo(torch.float32).dtype)
print(torch.finfo(torch.float32).resolution, torch.finfo(torch.float32).min, torch.finfo(torch.float32).tiny, type(torch.finfo(torch.float32).max))
for bad in (lambda: torch.finfo(torch.int64), lambda: torch.iinfo(torch.float32)):
    try: bad()
    except TypeError as e: print(e)
x = torch.FloatTensor([1, 2]); print(x, x.dtype, isinstance(x, torch.FloatTensor), isinstance(x, torch.LongTensor), torch.LongTensor(2, 3).shape, torch.FloatTensor(2).shape)
print(torch.DoubleTensor([1]).dtype, torch.IntTensor([1]).dtype, torch.BoolTensor([1]).dtype, torch.ByteTensor([1]).dtype, torch.HalfTensor([1]).dtype)
print(torch.FloatTensor(torch.Size([2])).shape, torch.FloatTensor().shape, torch.FloatTensor)
print(torch.ones(2).type(torch.LongTensor), torch.ones(2).type('torch.DoubleTensor').dtype, torch.ones(2).type())
print(isinstance(torch.ones(2), torch.FloatTensor), issubclass(torch.FloatTensor, torch.Tensor))
print(type(torch.ones(2)), type(torch.nn.Parameter(torch.ones(1))))
for a, b, kw in ((torch.tensor([1., 2., 3.]), torch.tensor([1., 2.5, 3.1]), {}), (torch.tensor([1., 2.]), torch.tensor([1., 2.]).double(), {}),
                 (torch.tensor([1, 2]), torch.tensor([1, 3]), {}), (torch.ones(2), torch.ones(3), {}), (torch.tensor(1.), torch.tensor(1.5), {}),
                 (torch.tensor([[1., 2.], [3., 4.]]), torch.tensor([[1., 2.], [3., 4.001]]), {}), (torch.tensor([1., 2.]), torch.tensor([1., 2.01]), dict(rtol=0.1, atol=0)),
                 (torch.tensor([float('nan')]), torch.tensor([float('nan')]), {}), (torch.tensor([1.]), [1.], {}), (1.0, 1.5, {}),
                 (torch.tensor([float('nan')]), torch.tensor([float('nan')]), dict(equal_nan=True)), ([torch.ones(2), torch.zeros(1)], [torch.ones(2), torch.ones(1)], {})):
    try:
        torch.testing.assert_close(a, b, **kw); print("ok")
    except Exception as e:
        print(type(e).__name__, repr(str(e)))
