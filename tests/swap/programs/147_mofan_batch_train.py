# 莫烦Python: 批训练 (DataLoader)
import torch
import torch.utils.data as Data

BATCH_SIZE = 5  # 批训练的数据个数

x = torch.linspace(1, 10, 10)  # x data (torch tensor)
y = torch.linspace(10, 1, 10)  # y data (torch tensor)

# 先转换成 torch 能识别的 Dataset
torch_dataset = Data.TensorDataset(x, y)
print(len(torch_dataset), torch_dataset[0], torch_dataset[9])

# 把 dataset 放入 DataLoader
loader = Data.DataLoader(
    dataset=torch_dataset,  # torch TensorDataset format
    batch_size=BATCH_SIZE,  # mini batch size
    shuffle=False,  # 要不要打乱数据 (打乱比较好)
    num_workers=0,  # 多线程来读数据
)
print(len(loader))

for epoch in range(3):  # 训练所有!整套!数据 3 次
    for step, (batch_x, batch_y) in enumerate(loader):  # 每一步 loader 释放一小批数据用来学习
        # 假设这里就是你训练的地方...
        # 打出来一些数据
        print('Epoch: ', epoch, '| Step: ', step, '| batch x: ',
              batch_x.numpy(), '| batch y: ', batch_y.numpy())

# BATCH_SIZE = 8 时最后一个 batch 只有 2 个
loader8 = Data.DataLoader(dataset=torch_dataset, batch_size=8, shuffle=False)
for step, (batch_x, batch_y) in enumerate(loader8):
    print('Step: ', step, '| batch x: ', batch_x, '| batch y: ', batch_y)
loader8d = Data.DataLoader(dataset=torch_dataset, batch_size=8, shuffle=False, drop_last=True)
print(len(loader8), len(loader8d), [b[0].shape for b in loader8d])

# 2-D features with a linear model trained in mini-batches
X = torch.stack([x / 10, (x / 10) ** 2], dim=1)
Y = (3 * X[:, 0] - 2 * X[:, 1] + 0.5).unsqueeze(1)
ds = Data.TensorDataset(X, Y)
dl = Data.DataLoader(ds, batch_size=4, shuffle=False)
model = torch.nn.Linear(2, 1)
with torch.no_grad():
    model.weight.zero_()
    model.bias.zero_()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(30):
    total = 0.0
    for bx, by in dl:
        loss = torch.nn.functional.mse_loss(model(bx), by)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * bx.size(0)
    if epoch % 10 == 9:
        print(epoch, round(total / len(ds), 5))
print(model.weight.data, model.bias.data)
print(next(iter(dl))[0].shape, next(iter(dl))[1].dtype)
